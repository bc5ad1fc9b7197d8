import * as vscode from 'vscode';
import { redact } from '../core/redact';

/** The extension's one log channel. Every line passes through `redact`, so a token can never reach it by accident. */
export class Log implements vscode.Disposable {
  private readonly _channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this._channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this._channel.info(redact(message));
  }

  warn(message: string): void {
    this._channel.warn(redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describeError(error)}`;
    this._channel.error(redact(message + detail));
  }

  show(): void {
    this._channel.show(true);
  }

  dispose(): void {
    this._channel.dispose();
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
