import type * as vscode from 'vscode';

/** Base for objects that own other disposables; disposing twice is harmless, late registrations are disposed at once. */
export abstract class Disposable implements vscode.Disposable {
  private _isDisposed = false;
  private readonly _disposables: vscode.Disposable[] = [];

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  protected _register<T extends vscode.Disposable>(disposable: T): T {
    if (this._isDisposed) {
      disposable.dispose();
    } else {
      this._disposables.push(disposable);
    }
    return disposable;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    disposeAll(this._disposables);
  }
}

export function disposeAll(disposables: vscode.Disposable[]): void {
  while (disposables.length) {
    disposables.pop()?.dispose();
  }
}
