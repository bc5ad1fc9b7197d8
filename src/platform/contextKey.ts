import vscode = require('vscode');

/** What every ContextKey of this extension has told VS Code so far (VS Code offers no way to read a context key back). */
const told = new Map<string, unknown>();

/** The values the extension has set, by context key name (for tests; VS Code itself holds the real ones). */
export function contextKeyValues(): Readonly<Record<string, unknown>> {
  return Object.fromEntries(told);
}

/** A typed `setContext` wrapper that skips redundant updates. */
export class ContextKey<V> {
  private _value: V | undefined;

  constructor(readonly name: string) {}

  async set(value: V): Promise<void> {
    if (this._value === value) {
      return;
    }
    this._value = value;
    await vscode.commands.executeCommand('setContext', this.name, value);
    told.set(this.name, value);
  }

  get value(): V | undefined {
    return this._value;
  }
}
