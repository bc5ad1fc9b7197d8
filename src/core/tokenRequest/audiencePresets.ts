/** Where an audience suggestion comes from. */
export type AudiencePresetSource = 'aws' | 'azure' | 'gcp' | 'vault' | 'user';

/** A suggested audience for the Request Token flow. */
export interface AudiencePreset {
  readonly audience: string;
  readonly label: string;
  /** Why this audience is suggested, in one or two sentences. */
  readonly description: string;
  readonly source: AudiencePresetSource;
  /** True when inferred from this service account's annotations (show first, maybe pre-selected). */
  readonly inferred: boolean;
  /** True when the audience contains `<placeholders>` the user must replace before use. */
  readonly isTemplate: boolean;
}

/** A user preset from settings: a bare audience or an object with an optional label/description. */
export type UserAudiencePreset = string | { readonly audience: string; readonly label?: string; readonly description?: string };

export const awsRoleArnAnnotation = 'eks.amazonaws.com/role-arn';
export const awsAudienceAnnotation = 'eks.amazonaws.com/audience';
export const azureClientIdAnnotation = 'azure.workload.identity/client-id';
export const gkeServiceAccountAnnotation = 'iam.gke.io/gcp-service-account';
const vaultAnnotationPrefix = 'vault.hashicorp.com/';

/** Template for GCP Workload Identity Federation providers; the placeholders are not knowable from the cluster. */
export const gcpWorkloadIdentityPoolTemplate =
  '//iam.googleapis.com/projects/<project-number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>';

/**
 * Suggests audiences for a service account: first those implied by its workload-identity
 * annotations (AWS IRSA, Azure Workload Identity, GKE Workload Identity, Vault), then the user's
 * presets from settings, then generic ones. Each audience appears once.
 */
export function audiencePresets(
  annotations: Readonly<Record<string, string>> | undefined,
  userPresets: readonly UserAudiencePreset[] = [],
): AudiencePreset[] {
  const notes = annotations ?? {};
  const presets: AudiencePreset[] = [];
  const add = (preset: AudiencePreset): void => {
    if (preset.audience.trim() !== '' && !presets.some((p) => p.audience === preset.audience)) {
      presets.push(preset);
    }
  };

  const roleArn = notes[awsRoleArnAnnotation];
  if (roleArn !== undefined) {
    const custom = notes[awsAudienceAnnotation]?.trim();
    add({
      audience: custom !== undefined && custom !== '' ? custom : 'sts.amazonaws.com',
      label: 'AWS STS (IRSA)',
      description: `This service account is annotated ${awsRoleArnAnnotation}=${roleArn}; AWS STS AssumeRoleWithWebIdentity expects this audience${custom ? ` (set by ${awsAudienceAnnotation})` : ''}.`,
      source: 'aws',
      inferred: true,
      isTemplate: false,
    });
  }

  const clientId = notes[azureClientIdAnnotation];
  if (clientId !== undefined) {
    add({
      audience: 'api://AzureADTokenExchange',
      label: 'Azure AD workload identity',
      description: `This service account is annotated ${azureClientIdAnnotation}=${clientId}; Microsoft Entra ID federated credentials expect this audience.`,
      source: 'azure',
      inferred: true,
      isTemplate: false,
    });
  }

  const gsa = notes[gkeServiceAccountAnnotation];
  if (gsa !== undefined) {
    const project = /^[^@\s]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(gsa.trim())?.[1];
    if (project !== undefined) {
      add({
        audience: `${project}.svc.id.goog`,
        label: 'GKE workload identity pool',
        description: `This service account impersonates ${gsa.trim()}; GKE Workload Identity uses the project's identity namespace ${project}.svc.id.goog as the audience.`,
        source: 'gcp',
        inferred: true,
        isTemplate: false,
      });
    }
    add({
      audience: gcpWorkloadIdentityPoolTemplate,
      label: 'GCP workload identity federation provider',
      description: 'For clusters outside GKE: Google STS expects the full resource name of the workload identity pool provider. Replace the placeholders.',
      source: 'gcp',
      inferred: true,
      isTemplate: true,
    });
  }

  const vaultInferred = Object.keys(notes).some((key) => key.startsWith(vaultAnnotationPrefix));

  for (const preset of userPresets) {
    const entry = typeof preset === 'string' ? { audience: preset } : preset;
    const audience = entry.audience.trim();
    add({
      audience,
      label: entry.label ?? audience,
      description: entry.description ?? 'From your audience presets setting.',
      source: 'user',
      inferred: false,
      isTemplate: /<[^>]+>/.test(audience),
    });
  }

  add({
    audience: 'vault',
    label: 'HashiCorp Vault',
    description: vaultInferred
      ? 'This service account has Vault agent annotations; Vault Kubernetes auth roles commonly set audience "vault". Check the role\'s audience.'
      : 'A common audience for Vault Kubernetes/JWT auth roles; it must match the role\'s configured audience.',
    source: 'vault',
    inferred: vaultInferred,
    isTemplate: false,
  });

  // Inferred presets first, keeping their relative order.
  return [...presets.filter((p) => p.inferred), ...presets.filter((p) => !p.inferred)];
}
