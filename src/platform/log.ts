import type * as vscode from 'vscode';
import { formatLogLine } from '../core/logLine';

/** The part of a `LogOutputChannel` the log writes to (a recording sink in unit tests). */
export type LogSink = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'show' | 'dispose'>;

/**
 * The extension's one log channel. Every line is built by `formatLogLine`, which redacts it whole,
 * so a token can never reach it by accident, whatever is passed. Only that one string reaches the
 * channel: an Error handed to the channel itself would be written with its message and stack as is.
 */
export class Log implements vscode.Disposable {
  constructor(private readonly _channel: LogSink) {}

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
