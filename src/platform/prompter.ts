import type * as vscode from 'vscode';

/**
 * The one quick-input, notification, status-message and progress seam. Features talk to a Prompter, never to `vscode.window`
 * directly: production uses {@link QuickInputPrompter}; tests install a scripted one through the API's
 * test-only hooks, because quick inputs and notifications cannot be driven from the extension host.
 */

/** One row of a pick. Rows without a `value` are separators. */
export interface PromptItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** Undefined for separators. */
  readonly value?: T;
  readonly kind?: 'separator';
  /** Pre-checked (multi-select) or pre-selected (single) — how Back keeps earlier answers. */
  readonly picked?: boolean;
  /** Shown but not acceptable: picking it re-opens the step with this reason. */
  readonly disabledReason?: string;
  readonly alwaysShow?: boolean;
  /** Buttons on the row itself (answered as `itemButton`). */
  readonly buttons?: readonly PromptButton[];
}

export interface PromptButton {
  readonly id: string;
  /** A codicon id, e.g. `gear`. */
  readonly icon: string;
  readonly tooltip: string;
}

interface PromptBase {
  /** Stable id of the step (`audiences`, `lifetime`, `bindKind`, ...), for tests and telemetry-free logging. */
  readonly id: string;
  readonly title: string;
  /** "Step x of y" of a multi-step flow; undefined for a single pick. */
  readonly step?: number;
  readonly totalSteps?: number;
  readonly placeholder?: string;
  readonly showBack: boolean;
  /** Stay open when focus moves elsewhere (default true: a flow survives a glance at the tree). */
  readonly ignoreFocusOut?: boolean;
  readonly buttons?: readonly PromptButton[];
}

export interface PickPrompt<T> extends PromptBase {
  /** Items, or a loader that receives the flow's cancellation token (Esc aborts the lookup). */
  readonly items: readonly PromptItem<T>[] | ((token: vscode.CancellationToken) => Promise<readonly PromptItem<T>[]>);
  readonly canPickMany?: boolean;
  readonly matchOnDescription?: boolean;
  readonly matchOnDetail?: boolean;
  /** Text already typed in the filter box (kept when a step re-opens, e.g. after Retry). */
  readonly value?: string;
}

export interface InputPrompt extends PromptBase {
  readonly value?: string;
  readonly prompt?: string;
  /** Returns the problem to show, or undefined when the value is acceptable. */
  readonly validate?: (value: string) => string | undefined;
}

export type FlowAnswer = { readonly kind: 'back' } | { readonly kind: 'cancel' } | { readonly kind: 'button'; readonly id: string };
/** The picked items (their `PromptItem`s, so a tester can match by label). */
export type PickAnswer<T> =
  | { readonly kind: 'pick'; readonly items: readonly PromptItem<T>[]; readonly filter?: string }
  | { readonly kind: 'itemButton'; readonly item: PromptItem<T>; readonly id: string }
  | FlowAnswer;
export type InputAnswer = { readonly kind: 'text'; readonly text: string } | FlowAnswer;

export type MessageSeverity = 'info' | 'warning' | 'error';

export interface MessageOptions {
  readonly modal?: boolean;
  readonly detail?: string;
}

export interface ProgressOptions {
  readonly cancellable?: boolean;
}

export interface Prompter {
  pick<T>(prompt: PickPrompt<T>, token: vscode.CancellationToken): Promise<PickAnswer<T>>;
  input(prompt: InputPrompt, token: vscode.CancellationToken): Promise<InputAnswer>;
  /** A notification (or modal) with action buttons; resolves with the chosen action, if any. */
  message(severity: MessageSeverity, text: string, options: MessageOptions, actions: readonly string[]): Promise<string | undefined>;
  /** A transient confirmation that needs no action (Copied, Forgot): a status-bar message that goes away by itself. */
  status(text: string): void;
  /**
   * Runs a user-started network operation under a progress notification titled `title`, so a slow or dead server
   * never looks like nothing happened. With `cancellable`, the notification has Cancel and the task gets its token.
   */
  progress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>, options?: ProgressOptions): Promise<T>;
}
