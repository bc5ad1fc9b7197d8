import { audiencePresets, type UserAudiencePreset } from '../core/tokenRequest/audiencePresets';
import { normalizeAudiences, splitAudienceInput } from '../core/tokenRequest/audiences';
import { formatDuration } from '../core/tokenRequest/duration';
import { describeError } from '../core/logLine';
import { toKubectlCreateTokenCommand } from '../core/kubectl/kubectlCommand';
import { lifetimeLabel, lifetimePresets, parseLifetimeInput } from '../core/tokenRequest/lifetimeChoices';
import { dns1123SubdomainProblem } from '../core/kubernetes/kubeNames';
import type { BoundObject, BoundObjectKind } from '../core/tokenRequest/tokenRequest';
import { validateTokenRequestOptions } from '../core/tokenRequest/tokenRequest';
import { bindablePods, otherServiceAccountReason } from '../core/tokenRequest/bindablePods';
import type { ClusterClient } from '../kube/clusterClient';
import type { MultiStepInput, Step } from '../platform/multiStepInput';
import type { PromptButton, PromptItem } from '../platform/prompter';
import { lifetimeWarnings } from '../core/tokenRequest/lifetimeWarning';
import type { TokenRequestOptions } from '../core/tokenRequest/tokenRequest';
import { configSection, settingIds } from '../constants';
import { firstStep, toRequestOptions, type RequestTokenState, type WizardTarget } from './requestTokenState';

/** What the steps need from the outside world. */
export interface RequestTokenStepDeps {
  client(context: string): Promise<ClusterClient>;
  userPresets(): readonly UserAudiencePreset[];
  recentAudiences(): readonly string[];
  copy(text: string): Promise<void>;
  /** Lifetimes above this many seconds get a warning at review (0: never). */
  longLifetimeWarningSeconds(): number;
  /** The last request left unfinished in this window, offered first by the namespace step. */
  unfinished(): UnfinishedRequest | undefined;
}

/** Answers of a flow the user left (Esc, or a failure dismissed), kept in memory only; never a token. */
export interface UnfinishedRequest {
  readonly state: RequestTokenState;
  /** Where it stopped, by prompt id. */
  readonly stoppedAt: string;
}

/** Where each prompt belongs, for resuming there and for saying where a flow stopped. */
const promptSteps: Readonly<Record<string, { readonly target: WizardTarget; readonly name: string }>> = {
  namespace: { target: 'start', name: 'namespace' },
  enterNamespace: { target: 'start', name: 'namespace' },
  serviceAccount: { target: 'serviceAccount', name: 'service account' },
  audiences: { target: 'audiences', name: 'audiences' },
  enterAudiences: { target: 'audiences', name: 'audiences' },
  lifetime: { target: 'lifetime', name: 'lifetime' },
  customLifetime: { target: 'lifetime', name: 'lifetime' },
  bindKind: { target: 'bind', name: 'bind to an object' },
  bindObject: { target: 'bind', name: 'bind to an object' },
  enterBoundName: { target: 'bind', name: 'bind to an object' },
  advanced: { target: 'advanced', name: 'advanced options' },
  fieldManager: { target: 'advanced', name: 'advanced options' },
  fieldValidation: { target: 'advanced', name: 'advanced options' },
  review: { target: 'review', name: 'review' },
};

/** The step a flow left at `promptId` resumes at (the start for an unknown id). */
export function resumeTargetOf(promptId: string): WizardTarget {
  return promptSteps[promptId]?.target ?? 'start';
}

/** True once a flow has an answer worth offering back (a service account to request for). */
export function isWorthResuming(state: RequestTokenState): boolean {
  return state.namespace !== undefined && state.namespace !== '' && state.serviceAccount !== undefined && state.serviceAccount !== '';
}

/** The answers in one line, as the review's Request row and the resume offer show them. */
export function answersSummary(options: TokenRequestOptions, lifetimeNote = ''): string {
  const bound = options.boundObject === undefined ? 'not bound' : `bound to ${options.boundObject.kind} "${options.boundObject.name}"${options.boundObject.uid !== undefined ? ` (uid ${options.boundObject.uid})` : ''}`;
  return [
    `audiences: ${options.audiences.length === 0 ? 'API server default' : options.audiences.join(', ')}`,
    `lifetime: ${lifetimeLabel(options.expirationSeconds)}${lifetimeNote}`,
    bound,
  ].join(' · ');
}

const retryItem = { label: '$(refresh) Retry', description: 'ask the server again', alwaysShow: true } as const;

type Input = MultiStepInput<RequestTokenState>;
type FlowStep = Step<RequestTokenState>;

const advancedButton: PromptButton = { id: 'advanced', icon: 'settings-gear', tooltip: 'Advanced options (dryRun, fieldManager, fieldValidation, pretty)' };


function sa(state: RequestTokenState): string {
  return `${state.namespace ?? '?'}/${state.serviceAccount ?? '?'}`;
}

/** The steps of the Request Token flow, as step functions over shared state (see MultiStepInput). */
export class RequestTokenSteps {
  /** What the user typed in a list's filter box, kept for Retry and for "Enter a namespace…". */
  private readonly _typed = new Map<string, string>();

  constructor(private readonly _deps: RequestTokenStepDeps) {}

  /** The step a resumed flow opens, and the steps under it (so Back still works). */
  stepsFor(target: WizardTarget, state: RequestTokenState): { start: FlowStep; history: FlowStep[] } {
    const pre: FlowStep[] = state.fromPalette ? [this.namespace, this.serviceAccount] : [];
    const order: FlowStep[] = [...pre, this.audiences, this.lifetime, this.bindKind, ...(state.advanced ? [this.advanced] : []), this.review];
    const byTarget: Record<Exclude<WizardTarget, 'start'>, FlowStep> = {
      serviceAccount: this.serviceAccount, audiences: this.audiences, lifetime: this.lifetime, bind: this.bindKind, advanced: this.advanced, review: this.review,
    };
    const wanted = target === 'start' ? order[0]! : byTarget[target];
    const start = order.includes(wanted) ? wanted : this.review;
    return { start, history: order.slice(0, order.indexOf(start)) };
  }

  readonly namespace: FlowStep = async (input: Input) => {
    const state = input.state;
    const unfinished = this._deps.unfinished();
    // Its names are in the description, which this list does not filter on: a namespace typed while the
    // server is down leaves only "Enter a namespace…" and Retry, instead of this row, for Enter to take.
    const resume: PromptItem<{ resume: true }>[] = unfinished === undefined ? [] : [{
      label: '$(history) Resume the last request',
      description: `(${sa(unfinished.state)}, stopped at ${promptSteps[unfinished.stoppedAt]?.name ?? 'namespace'}) · ${unfinished.state.context}`,
      detail: answersSummary(toRequestOptions(unfinished.state)),
      value: { resume: true },
    }];
    const typed = this._typed.get('namespace');
    const result = await input.pick<{ name?: string; manual?: true; retry?: true; resume?: true }>({
      id: 'namespace',
      title: `Request Token (${state.context}): namespace`,
      step: 1,
      placeholder: 'Pick the namespace of the service account (type to filter)',
      matchOnDescription: false,
      ...(typed !== undefined ? { value: typed } : {}),
      items: async () => {
        const manual: PromptItem<{ manual: true }> = { label: '$(edit) Enter a namespace…', value: { manual: true }, alwaysShow: true };
        try {
          const client = await this._deps.client(state.context);
          const page = await client.listNamespaces({ signal: input.signal() });
          const items = page.items.map((ns) => ({
            label: ns.name,
            ...(ns.phase !== undefined && ns.phase !== 'Active' ? { description: ns.phase } : {}),
            value: { name: ns.name },
            picked: ns.name === state.namespace,
          }));
          return [...resume, ...items, manual];
        } catch (e) {
          return [...resume, { label: 'Could not list namespaces', value: {}, disabledReason: describeError(e) }, manual, { ...retryItem, value: { retry: true } }];
        }
      },
    });
    if (result.kind !== 'pick') {
      return this.serviceAccount;
    }
    this._typed.set('namespace', result.filter);
    const value = result.values[0];
    if (value?.resume === true && unfinished !== undefined) {
      // The flow re-opens at the step it stopped at, with every answer (see RequestTokenFlow.run).
      for (const key of Object.keys(state)) {
        delete (state as unknown as Record<string, unknown>)[key];
      }
      Object.assign(state, structuredClone(unfinished.state), { resumeAt: resumeTargetOf(unfinished.stoppedAt) });
      return undefined;
    }
    if (value?.retry === true) {
      return input.resume();
    }
    if (value?.manual === true) {
      return this.enterNamespace;
    }
    if (value?.name !== state.namespace) {
      delete state.serviceAccount;
      delete state.serviceAccountUid;
      delete state.annotations;
    }
    state.namespace = value?.name;
    return this.serviceAccount;
  };

  readonly enterNamespace: FlowStep = async (input: Input) => {
    const result = await input.input({
      id: 'enterNamespace',
      title: `Request Token (${input.state.context}): namespace`,
      step: 1,
      value: this._typed.get('namespace')?.trim() || input.state.namespace || '',
      prompt: 'The namespace of the service account',
      validate: (v) => (v.trim() === '' ? 'Enter a namespace.' : undefined),
    });
    if (result.kind === 'text') {
      input.state.namespace = result.text.trim();
    }
    return this.serviceAccount;
  };

  readonly serviceAccount: FlowStep = async (input: Input) => {
    const state = input.state;
    const namespace = state.namespace ?? '';
    const typed = this._typed.get('serviceAccount');
    const result = await input.pick<{ name: string; uid?: string; annotations?: Readonly<Record<string, string>>; retry?: true }>({
      id: 'serviceAccount',
      title: `Request Token (${state.context}): service account in ${namespace}`,
      step: 2,
      placeholder: 'Pick the service account (type to filter)',
      matchOnDescription: true,
      ...(typed !== undefined ? { value: typed } : {}),
      items: async () => {
        try {
          const client = await this._deps.client(state.context);
          const page = await client.listServiceAccounts({ namespace, signal: input.signal() });
          if (page.items.length === 0) {
            return [{ label: `No service accounts in ${namespace}`, value: { name: '' }, disabledReason: 'Go back and pick another namespace.' }];
          }
          return page.items.map((s) => ({
            label: s.name,
            ...(Object.keys(s.annotations).length > 0 ? { description: Object.keys(s.annotations).filter((k) => !k.startsWith('kubectl.kubernetes.io/')).join(', ') } : {}),
            value: { name: s.name, uid: s.uid, annotations: s.annotations },
            picked: s.name === state.serviceAccount,
          }));
        } catch (e) {
          return [{ label: `Could not list service accounts in ${namespace}`, value: { name: '' }, disabledReason: describeError(e) }, { ...retryItem, value: { name: '', retry: true } }];
        }
      },
    });
    if (result.kind === 'pick') {
      this._typed.set('serviceAccount', result.filter);
      const value = result.values[0]!;
      if (value.retry === true) {
        return input.resume();
      }
      if (value.name !== state.serviceAccount) {
        delete state.boundObject;
        state.boundKind = 'none';
      }
      state.serviceAccount = value.name;
      if (value.uid !== undefined) {
        state.serviceAccountUid = value.uid;
      }
      state.annotations = value.annotations ?? {};
    }
    return this.audiences;
  };

  readonly audiences: FlowStep = async (input: Input) => {
    const state = input.state;
    const presets = audiencePresets(state.annotations, this._deps.userPresets());
    type Value = { audience?: string; kind: 'default' | 'audience' | 'enter' | 'template'; template?: string };
    const items: PromptItem<Value>[] = [
      // The TokenRequest API uses its default only for an empty list; explicit audiences replace it.
      { label: '$(server) API server default audiences', description: 'leave the audience list empty', detail: 'Only when nothing else is checked: explicit audiences replace the server\'s --api-audiences.', value: { kind: 'default' }, picked: state.audiences.length === 0 },
    ];
    const listed = new Set<string>();
    const add = (group: string, entries: readonly PromptItem<Value>[]) => {
      const fresh = entries.filter((e) => e.value?.audience === undefined || !listed.has(e.value.audience));
      if (fresh.length > 0) {
        items.push({ label: group, kind: 'separator' });
        for (const e of fresh) {
          if (e.value?.audience !== undefined) {
            listed.add(e.value.audience);
          }
          items.push(e);
        }
      }
    };
    const presetItem = (p: (typeof presets)[number]): PromptItem<Value> => (p.isTemplate
      ? { label: `$(edit) ${p.label}`, description: p.audience, detail: p.description, value: { kind: 'template', template: p.audience } }
      : { label: p.audience, description: p.label, detail: p.description, value: { kind: 'audience', audience: p.audience }, picked: state.audiences.includes(p.audience) });
    add('Suggested for this service account', presets.filter((p) => p.inferred).map(presetItem));
    add('Your presets (saTokens.audiencePresets)', presets.filter((p) => p.source === 'user').map(presetItem));
    const audienceItem = (a: string, description: string): PromptItem<Value> => ({ label: a, description, value: { kind: 'audience', audience: a }, picked: state.audiences.includes(a) });
    add('Entered', [...state.extraAudiences, ...state.audiences].map((a) => audienceItem(a, 'entered')));
    add('Recently used', this._deps.recentAudiences().map((a) => audienceItem(a, 'recently used')));
    add('Common', presets.filter((p) => !p.inferred && p.source !== 'user').map(presetItem));
    items.push({ label: '', kind: 'separator' }, { label: '$(edit) Enter other audiences…', description: 'comma-separated', value: { kind: 'enter' }, alwaysShow: true });

    const result = await input.pick<Value>({
      id: 'audiences',
      title: `Request Token for ${sa(state)}: audiences`,
      step: firstStep(state),
      placeholder: 'Check who will accept the token (none: API server default)',
      canPickMany: true,
      matchOnDescription: true,
      items,
    });
    if (result.kind !== 'pick') {
      return this.audiences;
    }
    const template = result.values.find((v) => v.kind === 'template');
    const chosen = result.values.flatMap((v) => (v.kind === 'audience' && v.audience !== undefined ? [v.audience] : []));
    state.audiences = normalizeAudiences(chosen).audiences;
    if (template !== undefined || result.values.some((v) => v.kind === 'enter')) {
      return this.enterAudiences(template?.template);
    }
    if (chosen.length > 0 && result.values.some((v) => v.kind === 'default')) {
      // Both checked: say so, with the default unchecked, rather than dropping it silently.
      return input.resume('API server default unchecked: other audiences replace it. Enter continues.');
    }
    return this.lifetime;
  };

  /** Typing audiences, pre-filled with the picked preset's template (its <placeholders> to replace). */
  enterAudiences(template?: string): FlowStep {
    return (input) => this._enterAudiences(input, template);
  }

  private async _enterAudiences(input: Input, template: string | undefined): ReturnType<FlowStep> {
    const state = input.state;
    const result = await input.input({
      id: 'enterAudiences',
      title: `Request Token for ${sa(state)}: audiences`,
      step: firstStep(state),
      value: template ?? '',
      prompt: 'Audiences, comma-separated (e.g. https://vault.example, sts.amazonaws.com). Each is a single identifier, no spaces.',
      validate: (text) => {
        const entries = splitAudienceInput(text);
        if (entries.length === 0) {
          return 'Enter at least one audience, comma-separated. For the API server default, go Back and check only "API server default audiences".';
        }
        const placeholder = entries.find((e) => /<[^>]+>/.test(e));
        if (placeholder !== undefined) {
          return `Replace the <placeholders> in "${placeholder.trim()}".`;
        }
        return normalizeAudiences(entries).problems[0];
      },
    });
    if (result.kind === 'text') {
      const typed = normalizeAudiences(splitAudienceInput(result.text)).audiences;
      state.extraAudiences = normalizeAudiences([...state.extraAudiences, ...typed]).audiences;
      state.audiences = normalizeAudiences([...state.audiences, ...typed]).audiences;
    }
    return this.lifetime;
  }

  readonly lifetime: FlowStep = async (input: Input) => {
    const state = input.state;
    type Value = { seconds?: number; custom?: true };
    const custom = state.expirationSeconds !== undefined && !lifetimePresets.some((p) => p.seconds === state.expirationSeconds);
    const items: PromptItem<Value>[] = [
      ...lifetimePresets.map((p) => ({ label: p.label, description: `expirationSeconds: ${p.seconds}`, value: { seconds: p.seconds }, picked: state.expirationSeconds === p.seconds })),
      ...(custom ? [{ label: formatDuration(state.expirationSeconds!), description: `expirationSeconds: ${state.expirationSeconds} (entered)`, value: { seconds: state.expirationSeconds! }, picked: true }] : []),
      { label: '$(edit) Custom lifetime…', description: 'e.g. 90m, 2h30m, 3600s, 1d', value: { custom: true }, alwaysShow: true },
    ];
    const result = await input.pick<Value>({
      id: 'lifetime',
      title: `Request Token for ${sa(state)}: lifetime`,
      step: firstStep(state) + 1,
      placeholder: 'How long the token lives (the server may shorten it)',
      items,
    });
    if (result.kind !== 'pick') {
      return this.lifetime;
    }
    const value = result.values[0];
    if (value?.custom === true) {
      return this.customLifetime;
    }
    state.expirationSeconds = value?.seconds;
    return this.bindKind;
  };

  readonly customLifetime: FlowStep = async (input: Input) => {
    const state = input.state;
    const result = await input.input({
      id: 'customLifetime',
      title: `Request Token for ${sa(state)}: lifetime`,
      step: firstStep(state) + 1,
      value: state.expirationSeconds !== undefined ? formatDuration(state.expirationSeconds).replaceAll(' ', '') : '',
      prompt: 'Lifetime such as 90m, 2h30m, 3600s or 1d. The API server requires at least 10 minutes and at most 2^32 seconds, and may shorten it.',
      validate: (text) => {
        const parsed = parseLifetimeInput(text);
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    });
    if (result.kind === 'text') {
      const parsed = parseLifetimeInput(result.text);
      if ('seconds' in parsed) {
        state.expirationSeconds = parsed.seconds;
      }
    }
    return this.bindKind;
  };

  readonly bindKind: FlowStep = async (input: Input) => {
    const state = input.state;
    type Value = BoundObjectKind | 'none';
    const current = state.boundKind;
    const result = await input.pick<Value>({
      id: 'bindKind',
      title: `Request Token for ${sa(state)}: bind to an object (optional)`,
      step: firstStep(state) + 2,
      placeholder: 'A bound token stops working when its object is deleted',
      buttons: [advancedButton],
      items: [
        { label: 'None', description: 'not bound; valid until it expires', value: 'none', picked: current === 'none' },
        { label: 'Pod', description: `a pod of ${state.namespace ?? ''} running as ${state.serviceAccount ?? ''}`, value: 'Pod', picked: current === 'Pod' },
        { label: 'Secret', description: `a secret of ${state.namespace ?? ''}`, value: 'Secret', picked: current === 'Secret' },
        { label: 'Node', description: 'needs Kubernetes 1.31+ (ServiceAccountTokenNodeBinding); older servers answer 400', value: 'Node', picked: current === 'Node' },
      ],
    });
    if (result.kind === 'button') {
      state.advanced = true;
      return this.advanced;
    }
    const kind = result.values[0] ?? 'none';
    if (kind !== state.boundKind) {
      delete state.boundObject;
    }
    state.boundKind = kind;
    if (kind === 'none') {
      return state.advanced ? this.advanced : this.review;
    }
    return this.bindObject;
  };

  readonly bindObject: FlowStep = async (input: Input) => {
    const state = input.state;
    const kind = state.boundKind as BoundObjectKind;
    const namespace = state.namespace ?? '';
    type Value = BoundObject | { manual: true };
    const manual: PromptItem<Value> = { label: `$(edit) Enter a ${kind} name…`, description: 'the uid is looked up when possible', value: { manual: true }, alwaysShow: true };
    const isCurrent = (name: string) => state.boundObject?.kind === kind && state.boundObject.name === name;
    const load = async (): Promise<PromptItem<Value>[]> => {
      const client = await this._deps.client(state.context);
      const signal = input.signal();
      if (kind === 'Pod') {
        const serviceAccount = state.serviceAccount ?? '';
        const { bindable, others } = bindablePods((await client.listPods(namespace, { signal })).items, serviceAccount);
        const items: PromptItem<Value>[] = bindable.map((p) => ({
          label: p.name,
          description: [p.deletionTimestamp !== undefined ? 'terminating' : p.phase, p.nodeName].filter(Boolean).join(' · '),
          detail: `uid ${p.uid}`,
          value: { kind: 'Pod', name: p.name, uid: p.uid },
          picked: isCurrent(p.name),
        }));
        if (bindable.length === 0) {
          items.push({ label: `No pod in ${namespace} runs as ${serviceAccount}`, value: { manual: true }, disabledReason: 'Go back and bind to nothing or to a Secret.' });
        }
        if (others.length > 0) {
          // Shown, disabled, so the user sees why their pod is not offered.
          items.push({ label: 'Running under other service accounts', kind: 'separator' });
          items.push(...others.map((p) => ({
            label: p.name,
            description: `runs as ${p.serviceAccountName ?? 'default'}`,
            value: { kind: 'Pod' as const, name: p.name, uid: p.uid },
            disabledReason: otherServiceAccountReason(p, serviceAccount),
          })));
        }
        return items;
      }
      const objects = kind === 'Secret' ? (await client.listSecrets(namespace, { signal })).items.map((s) => ({ name: s.name, uid: s.uid, description: s.type }))
        : (await client.listNodes({ signal })).items.map((n) => ({ name: n.name, uid: n.uid, description: '' }));
      if (objects.length === 0) {
        return [{ label: `No ${kind.toLowerCase()}s found`, value: { manual: true }, disabledReason: 'Go back and pick another kind, or none.' }];
      }
      return objects.map((o) => ({ label: o.name, ...(o.description !== '' ? { description: o.description } : {}), detail: `uid ${o.uid}`, value: { kind, name: o.name, uid: o.uid }, picked: isCurrent(o.name) }));
    };
    const result = await input.pick<Value>({
      id: 'bindObject',
      title: `Request Token for ${sa(state)}: bind to a ${kind} (sent with its uid)`,
      step: firstStep(state) + 2,
      placeholder: `Pick the ${kind} (type to filter)`,
      matchOnDescription: true,
      buttons: [advancedButton],
      items: async () => {
        try {
          return [...(await load()), manual];
        } catch (e) {
          return [{ label: `Could not list ${kind.toLowerCase()}s`, value: { manual: true }, disabledReason: describeError(e) }, manual];
        }
      },
    });
    if (result.kind === 'button') {
      state.advanced = true;
      return this.advanced;
    }
    const value = result.values[0];
    if (value !== undefined && 'manual' in value) {
      return this.enterBoundName;
    }
    state.boundObject = value;
    return state.advanced ? this.advanced : this.review;
  };

  readonly enterBoundName: FlowStep = async (input: Input) => {
    const state = input.state;
    const kind = state.boundKind as BoundObjectKind;
    const result = await input.input({
      id: 'enterBoundName',
      title: `Request Token for ${sa(state)}: bind to a ${kind}`,
      step: firstStep(state) + 2,
      value: state.boundObject?.name ?? '',
      prompt: `The ${kind} name${kind === 'Node' ? '' : ` in ${state.namespace ?? ''}`}`,
      validate: (v) => {
        const problem = dns1123SubdomainProblem(v.trim());
        return v.trim() === '' ? 'Enter a name.' : problem !== undefined ? `"${v.trim()}" is not a valid name: ${problem}` : undefined;
      },
    });
    if (result.kind === 'text') {
      const name = result.text.trim();
      let uid: string | undefined;
      try {
        const client = await this._deps.client(state.context);
        const check = await client.checkBoundObject({ kind, name, ...(kind === 'Node' ? {} : { namespace: state.namespace ?? '' }) }, { signal: input.signal() });
        uid = check.uid;
      } catch {
        // No read access (the server reads the object itself, so the request can still succeed): send it without a uid.
      }
      state.boundObject = { kind, name, ...(uid !== undefined ? { uid } : {}) };
    }
    return state.advanced ? this.advanced : this.review;
  };

  readonly advanced: FlowStep = async (input: Input) => {
    const state = input.state;
    type Value = 'dryRun' | 'fieldManager' | 'fieldValidation' | 'pretty' | 'done';
    const result = await input.pick<Value>({
      id: 'advanced',
      title: `Request Token for ${sa(state)}: advanced options`,
      step: firstStep(state) + 3,
      placeholder: 'Select an option to change it, then Continue',
      items: [
        { label: '$(arrow-right) Continue to review', value: 'done' },
        { label: `dryRun: ${state.dryRun ? 'All' : 'off'}`, description: 'toggle', detail: 'dryRun=All persists nothing, but real API servers still mint and return a valid, signed token.', value: 'dryRun' },
        { label: `fieldManager: ${state.fieldManager ?? '(none)'}`, description: 'edit', detail: 'Names the managedFields entry; at most 128 printable characters.', value: 'fieldManager' },
        { label: `fieldValidation: ${state.fieldValidation ?? '(server default: Warn)'}`, description: 'choose', detail: 'Strict rejects unknown fields, Warn adds a Warning header, Ignore drops them.', value: 'fieldValidation' },
        { label: `pretty: ${state.pretty ? 'true' : 'off'}`, description: 'toggle', detail: 'Indents the JSON response; no effect on the token.', value: 'pretty' },
      ],
    });
    if (result.kind !== 'pick') {
      return this.review;
    }
    switch (result.values[0]) {
      case 'dryRun':
        state.dryRun = !state.dryRun;
        return input.resume(state.dryRun ? 'dryRun=All is on: note that the server still returns a real, valid token.' : undefined);
      case 'pretty':
        state.pretty = !state.pretty;
        return input.resume();
      case 'fieldManager':
        return this.fieldManager;
      case 'fieldValidation':
        return this.fieldValidation;
      default:
        return this.review;
    }
  };

  readonly fieldManager: FlowStep = async (input: Input) => {
    const state = input.state;
    const result = await input.input({
      id: 'fieldManager',
      title: `Request Token for ${sa(state)}: fieldManager`,
      step: firstStep(state) + 3,
      value: state.fieldManager ?? '',
      prompt: 'fieldManager query parameter (empty = not sent)',
      validate: (v) => validateTokenRequestOptions({ ...toRequestOptions(state), fieldManager: v }).find((p) => p.field === 'fieldManager')?.message,
    });
    if (result.kind === 'text') {
      if (result.text === '') {
        delete state.fieldManager;
      } else {
        state.fieldManager = result.text;
      }
    }
    return this.advanced;
  };

  readonly fieldValidation: FlowStep = async (input: Input) => {
    const state = input.state;
    type Value = 'Strict' | 'Warn' | 'Ignore' | 'unset';
    const current = state.fieldValidation ?? 'unset';
    const result = await input.pick<Value>({
      id: 'fieldValidation',
      title: `Request Token for ${sa(state)}: fieldValidation`,
      step: firstStep(state) + 3,
      items: (['unset', 'Strict', 'Warn', 'Ignore'] as const).map((v) => ({ label: v === 'unset' ? 'Not sent (server default: Warn)' : v, value: v, picked: v === current })),
    });
    if (result.kind === 'pick') {
      const v = result.values[0];
      if (v === undefined || v === 'unset') {
        delete state.fieldValidation;
      } else {
        state.fieldValidation = v;
      }
    }
    return this.advanced;
  };

  readonly review: FlowStep = async (input: Input) => {
    const state = input.state;
    const options = toRequestOptions(state);
    const command = toKubectlCreateTokenCommand(options, { context: state.context });
    const allProblems = validateTokenRequestOptions(options);
    // A lifetime preset by another extension is left to the server, whose answer the flow explains.
    const lifetimeProblem = allProblems.find((p) => p.field === 'expirationSeconds');
    const problems = allProblems.filter((p) => p !== lifetimeProblem);
    const summary = [
      answersSummary(options, lifetimeProblem !== undefined ? ` (the server will reject it: ${lifetimeProblem.message})` : ''),
      ...(options.dryRun === true ? ['dryRun=All (the server still mints a valid token)'] : []),
      ...(options.fieldManager !== undefined ? [`fieldManager=${options.fieldManager}`] : []),
      ...(options.fieldValidation !== undefined ? [`fieldValidation=${options.fieldValidation}`] : []),
      ...(options.pretty === true ? ['pretty=true'] : []),
    ].join(' · ');
    const warnings = lifetimeProblem === undefined ? lifetimeWarnings(options, this._deps.longLifetimeWarningSeconds(), `${configSection}.${settingIds.longLifetimeWarningHours}`) : [];
    type Value = 'request' | 'copy' | 'advanced' | 'lifetime';
    const result = await input.pick<Value>({
      id: 'review',
      title: `Request Token for ${sa(state)} in ${state.context}: review`,
      step: firstStep(state) + 3 + (state.advanced ? 1 : 0),
      placeholder: problems.length > 0 ? problems.map((p) => p.message).join(' ') : 'Enter requests the token; Back changes an answer',
      buttons: [advancedButton],
      items: [
        problems.length > 0
          ? { label: '$(error) Cannot request yet', detail: problems.map((p) => p.message).join(' '), value: 'request', disabledReason: problems.map((p) => p.message).join(' ') }
          : { label: '$(key) Request token', detail: summary, value: 'request' },
        // Selecting a warning goes back to the lifetime; Enter still requests (the first row).
        ...warnings.map((w) => ({ ...w, value: 'lifetime' as const })),
        { label: '$(copy) Copy kubectl command', description: 'equivalent kubectl create token', detail: command.command + (command.notes.length > 0 ? ` — ${command.notes.join(' ')}` : ''), value: 'copy' },
        ...(state.advanced ? [] : [{ label: '$(settings-gear) Advanced options…', description: 'dryRun, fieldManager, fieldValidation, pretty', value: 'advanced' as const }]),
      ],
    });
    const choice = result.kind === 'button' ? 'advanced' : result.values[0];
    if (choice === 'copy') {
      await this._deps.copy(command.command);
      return input.resume('Copied the kubectl command. Enter requests the token.');
    }
    if (choice === 'advanced') {
      state.advanced = true;
      return this.advanced;
    }
    if (choice === 'lifetime') {
      return this.lifetime;
    }
    return undefined;
  };
}
