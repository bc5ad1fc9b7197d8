import type * as vscode from 'vscode';

/**
 * An event source with VS Code's `Event` contract, for the models and controllers the unit tests run in
 * plain Node (VS Code's EventEmitter exists only inside the extension host). Listeners run in the order
 * they subscribed; one that throws does not keep the others from running.
 */
export class Emitter<T> implements vscode.Disposable {
  private readonly _listeners = new Set<(e: T) => unknown>();
  private _disposed = false;

  readonly event: vscode.Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    if (!this._disposed) {
      this._listeners.add(bound);
    }
    const subscription = { dispose: () => void this._listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(event: T): void {
    for (const listener of [...this._listeners]) {
      try {
        listener(event);
      } catch (e) {
        // The same as VS Code's emitter: report, keep going.
        console.error(e);
      }
    }
  }

  dispose(): void {
    this._disposed = true;
    this._listeners.clear();
  }
}

/** VS Code's CancellationTokenSource contract, without the extension host. */
export class CancellationSource implements vscode.Disposable {
  private readonly _onCancellationRequested = new Emitter<void>();
  private _cancelled = false;
  readonly token: vscode.CancellationToken;

  constructor() {
    const isCancelled = () => this._cancelled;
    this.token = {
      get isCancellationRequested() {
        return isCancelled();
      },
      onCancellationRequested: this._onCancellationRequested.event,
    };
  }

  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._onCancellationRequested.fire();
    }
  }

  dispose(): void {
    this._onCancellationRequested.dispose();
  }
}
