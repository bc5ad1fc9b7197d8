import type { BoundObject, BoundObjectKind, TokenRequestOptions } from '../core/tokenRequest/tokenRequest';
import type { ResumeStep } from '../core/tokenRequest/tokenRequestFailure';

/** A step the flow can (re)open at: the start, or a step with the ones before it kept for Back. */
export type WizardTarget = 'start' | 'serviceAccount' | 'advanced' | ResumeStep;

/** Everything the Request Token flow has collected so far. Steps pre-fill from it, so Back keeps answers. */
export interface RequestTokenState {
  /** The kube context the token is requested in. */
  context: string;
  /** Started from the palette: the namespace and service-account pickers are steps 1 and 2. */
  fromPalette: boolean;
  namespace?: string;
  serviceAccount?: string;
  serviceAccountUid?: string;
  annotations?: Readonly<Record<string, string>>;
  /** Chosen audiences; empty = the API server's default audiences. */
  audiences: string[];
  /** Audiences typed in this flow, offered again as items. */
  extraAudiences: string[];
  /** Undefined = the server default (1 hour). */
  expirationSeconds?: number;
  boundKind: BoundObjectKind | 'none';
  boundObject?: BoundObject;
  /** The Advanced step is part of the flow (reached through its button). */
  advanced: boolean;
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  pretty: boolean;
  /** Set when the user chose to resume an unfinished request: the flow re-opens there. */
  resumeAt?: WizardTarget;
}

export function initialState(context: string, fromPalette: boolean): RequestTokenState {
  return { context, fromPalette, audiences: [], extraAudiences: [], boundKind: 'none', advanced: false, dryRun: false, pretty: false };
}

/** The finished answers as core's request options (core validates and builds the body). */
export function toRequestOptions(state: RequestTokenState): TokenRequestOptions {
  return {
    namespace: state.namespace ?? '',
    serviceAccount: state.serviceAccount ?? '',
    audiences: [...state.audiences],
    ...(state.expirationSeconds !== undefined ? { expirationSeconds: state.expirationSeconds } : {}),
    ...(state.boundKind !== 'none' && state.boundObject !== undefined ? { boundObject: state.boundObject } : {}),
    ...(state.dryRun ? { dryRun: true } : {}),
    ...(state.fieldManager !== undefined && state.fieldManager !== '' ? { fieldManager: state.fieldManager } : {}),
    ...(state.fieldValidation !== undefined ? { fieldValidation: state.fieldValidation } : {}),
    ...(state.pretty ? { pretty: true } : {}),
  };
}

/** Steps shown as "x of y": [namespace, service account,] audiences, lifetime, binding, [advanced,] review. */
export function totalSteps(state: RequestTokenState): number {
  return (state.fromPalette ? 2 : 0) + 4 + (state.advanced ? 1 : 0);
}

/** The number of the first flow step after the palette pickers. */
export function firstStep(state: RequestTokenState): number {
  return state.fromPalette ? 3 : 1;
}
