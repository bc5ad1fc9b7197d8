import type { PanelToHost } from '../protocol';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void };

acquireVsCodeApi().postMessage({ type: 'ready' });
