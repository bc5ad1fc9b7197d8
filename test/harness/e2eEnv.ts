/** How the e2e runner tells each e2e file where the workbench is. */
export interface E2eInfo {
  codeServerUrl: string;
  codeServerPort: number;
  userDataDir: string;
  workspace: string;
  extensionPath: string;
}

export const e2eEnvVar = 'SA_TOKENS_E2E';
