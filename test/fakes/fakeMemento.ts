import type * as vscode from 'vscode';

/** globalState in memory. Values are copied through JSON, as VS Code stores them. */
export class FakeMemento implements vscode.Memento {
  private readonly _values = new Map<string, string>();

  keys(): readonly string[] {
    return [...this._values.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const raw = this._values.get(key);
    return raw === undefined ? defaultValue : (JSON.parse(raw) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this._values.delete(key);
    } else {
      this._values.set(key, JSON.stringify(value));
    }
  }

  /** Everything stored, as the JSON VS Code would write (to prove what is and is not in it). */
  json(): string {
    return JSON.stringify(Object.fromEntries(this._values));
  }
}
