/** Who can get a service account's credentials: RBAC objects, their index, the analysis and its formats. */
export * from './rbacObjects';
export * from './ruleMatching';
export * from './rbacIndex';
export * from './accountAccess';
export * from './accessReportFormat';
