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

/**
 * globalState as VS Code shares it between windows: one JSON object per extension, held whole in each
 * window's cache and written back whole from that cache on every `update`. Another window's write
 * reaches a window only when `propagate()` runs (in VS Code: asynchronously, some time later).
 */
export class SharedGlobalState {
  private _stored = '{}';
  private readonly _windows: WindowGlobalState[] = [];

  /** globalState of a window opened now: it starts from what is stored. */
  openWindow(): WindowGlobalState {
    const window = new WindowGlobalState(this._stored, (json) => {
      this._stored = json;
    });
    this._windows.push(window);
    return window;
  }

  /** Delivers the stored object to every window, replacing its cache. */
  propagate(): void {
    for (const window of this._windows) {
      window.accept(this._stored);
    }
  }

  /** What is stored, as VS Code would write it. */
  json(): string {
    return this._stored;
  }
}

export class WindowGlobalState implements vscode.Memento {
  private _value: Record<string, unknown>;

  constructor(stored: string, private readonly _write: (json: string) => void) {
    this._value = JSON.parse(stored) as Record<string, unknown>;
  }

  keys(): readonly string[] {
    return Object.keys(this._value);
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const value = this._value[key];
    return value === undefined ? defaultValue : (JSON.parse(JSON.stringify(value)) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      delete this._value[key];
    } else {
      this._value[key] = JSON.parse(JSON.stringify(value)) as unknown;
    }
    this._write(JSON.stringify(this._value));
  }

  accept(stored: string): void {
    this._value = JSON.parse(stored) as Record<string, unknown>;
  }
}
