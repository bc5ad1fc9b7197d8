import * as vscode from 'vscode';
import { formatLogLine } from '../core/logLine';

/**
 * The extension's one log channel. Every line is built by `formatLogLine`, which redacts it whole,
 * so a token can never reach it by accident, whatever is passed.
 */
export class Log implements vscode.Disposable {
  private readonly _channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this._channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this._channel.info(formatLogLine(message));
  }

  warn(message: string): void {
    this._channel.warn(formatLogLine(message));
  }

  error(message: string, error?: unknown): void {
    this._channel.error(formatLogLine(message, error));
  }

  show(): void {
    this._channel.show(true);
  }

  dispose(): void {
    this._channel.dispose();
  }
}
