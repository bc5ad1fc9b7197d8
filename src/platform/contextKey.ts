import vscode = require('vscode');

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
  }

  get value(): V | undefined {
    return this._value;
  }
}
