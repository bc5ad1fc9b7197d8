import type * as vscode from 'vscode';
import { Emitter } from '../../src/platform/events';

/** SecretStorage in memory, with its change event. */
export class FakeSecretStorage implements vscode.SecretStorage {
  private readonly _secrets = new Map<string, string>();
  private readonly _onDidChange = new Emitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this._onDidChange.event;

  async get(key: string): Promise<string | undefined> {
    return this._secrets.get(key);
  }

  /** Every key stored (VS Code 1.101 has no `keys()`: the store keeps its own index). */
  storedKeys(): string[] {
    return [...this._secrets.keys()];
  }

  async store(key: string, value: string): Promise<void> {
    this._secrets.set(key, value);
    this._onDidChange.fire({ key });
  }

  async delete(key: string): Promise<void> {
    if (this._secrets.delete(key)) {
      this._onDidChange.fire({ key });
    }
  }

  /** Every secret's value, for assertions. */
  values(): string[] {
    return [...this._secrets.values()];
  }
}

/** SecretStorage of VS Code versions after 1.101, which can list its keys. */
export class ListingFakeSecretStorage extends FakeSecretStorage {
  async keys(): Promise<string[]> {
    return this.storedKeys();
  }
}
