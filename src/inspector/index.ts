import { createHash } from 'node:crypto';
import vscode = require('vscode');
import { commandIds, contextKeys, webviewIds } from '../constants';
import type { Services } from '../services';
import { ContextKey } from '../platform/contextKey';
import { tokenIdOf } from '../platform/tokenArg';
import { tryDecodeToken } from '../core/token/decodeToken';
import { clusterAccessFrom } from './inspectorCluster';
import type { SaveDialog } from './kubeconfigExport';
import { copyFormatLabels, copyFormats, isCopyFormat, isPanelState, type CopyFormat, type InspectorView, type PanelToHost } from './protocol';
import { askForToken } from './tokenInputBox';
import { TokenPanel, type PanelContent, type TokenPanelState } from './tokenPanel';
import { showStatusMessage } from '../platform/statusMessage';

/** Read-only inspector state on the extension API (never a token), plus a test-only dispatch hook. */
export interface InspectorApi {
  panels(): TokenPanelState[];
  /** Waits until the panel's signature state is final. */
  settled(key: string): Promise<void>;
  /**
   * Test/development builds only: delivers a message as if the page had sent it (same guard, same
   * handler), resolving when handled. Undefined in production.
   */
  readonly dispatch?: (key: string, message: unknown) => Promise<void>;
  /**
   * Test/development builds only: answers Copy As → Kubeconfig's save dialog (a dialog cannot be
   * driven from the extension host); undefined restores the real dialog. Undefined in production.
   */
  readonly setSaveDialog?: (dialog: SaveDialog | undefined) => void;
}

/** Arguments accepted by `saTokens.decodeToken` when invoked programmatically. */
export type DecodeTokenArgs = { readonly token: string } | { readonly source: 'clipboard' | 'selection' } | { readonly text: string };


function keyForToken(raw: string): string {
  return `jwt:${createHash('sha256').update(raw).digest('hex').slice(0, 24)}`;
}

const invalidKey = 'invalid';

/** Registers the Token Inspector: panels, serializer and commands. */
export function register(context: vscode.ExtensionContext, services: Services, now: () => number = Date.now): InspectorApi {
  const panels = new Map<string, TokenPanel>();
  let testSaveDialog: SaveDialog | undefined;

  const tokenVerified = new ContextKey<boolean>(contextKeys.tokenVerified);
  const panelDeps = {
    extensionUri: context.extensionUri,
    log: services.log,
    clusters: clusterAccessFrom(services.session),
    now,
    decodeAnother: () => void vscode.commands.executeCommand(commandIds.decodeToken),
    showSaveDialog: (options: vscode.SaveDialogOptions) => (testSaveDialog ?? vscode.window.showSaveDialog)(options),
    onShownVerified: () => void tokenVerified.set(true),
  };

  const track = (panel: TokenPanel): TokenPanel => {
    panels.set(panel.key, panel);
    panel.onDidDispose(() => {
      if (panels.get(panel.key) === panel) {
        panels.delete(panel.key);
      }
    });
    return panel;
  };

  /** One panel per key: an existing one is revealed (and refreshed), otherwise a new one is opened. */
  const createOrShow = (key: string, content: PanelContent): TokenPanel => {
    const existing = panels.get(key);
    if (existing !== undefined) {
      existing.setContent(content);
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(webviewIds.tokenInspector, 'Token Inspector', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    return track(new TokenPanel(key, panel, panelDeps, content));
  };

  const showInvalid = (title: string, message: string): TokenPanel => createOrShow(invalidKey, { kind: 'invalid', title, message });

  const inspectInput = (text: string, origin: string): TokenPanel => {
    const result = tryDecodeToken(text);
    if (!result.ok) {
      return showInvalid(`Cannot decode the ${origin}`, result.error.message);
    }
    const raw = result.token.raw;
    // Replace a stale "cannot decode" panel: the user fixed the input.
    panels.get(invalidKey)?.dispose();
    // A copy of a token already open from the store shows that panel, which knows more (request, context).
    const stored = [...panels.values()].find((p) => p.content.kind === 'token' && p.content.source === 'store' && p.content.token === raw);
    if (stored !== undefined) {
      stored.reveal();
      return stored;
    }
    return createOrShow(keyForToken(raw), { kind: 'token', decoded: result.token, token: raw, source: 'input' });
  };

  const inspectStored = async (id: string): Promise<TokenPanel | undefined> => {
    const meta = services.tokenStore.get(id);
    const token = meta !== undefined ? await services.tokenStore.getToken(id) : undefined;
    if (meta === undefined || token === undefined) {
      return showInvalid('Token not found', 'The extension no longer has this token (it was forgotten, or its secret was removed). Request a new one, or decode a copy with "Decode Token…".');
    }
    const result = tryDecodeToken(token);
    if (!result.ok) {
      return showInvalid('The stored token cannot be decoded', result.error.message);
    }
    return createOrShow(`store:${id}`, {
      kind: 'token',
      decoded: result.token,
      token: result.token.raw,
      source: 'store',
      storeId: id,
      contextName: meta.context,
      issued: {
        ...(meta.request.expirationSeconds !== undefined ? { requestedExpirationSeconds: meta.request.expirationSeconds } : {}),
        ...(meta.issuedExpirationSeconds !== undefined ? { issuedExpirationSeconds: meta.issuedExpirationSeconds } : {}),
      },
    });
  };

  const readInput = async (arg: unknown): Promise<{ text: string; origin: string } | undefined> => {
    if (typeof arg === 'object' && arg !== null) {
      const a = arg as { token?: unknown; text?: unknown; source?: unknown };
      if (typeof a.token === 'string') {
        return { text: a.token, origin: 'token' };
      }
      if (typeof a.text === 'string') {
        return { text: a.text, origin: 'pasted text' };
      }
      if (a.source === 'clipboard') {
        return { text: await vscode.env.clipboard.readText(), origin: 'clipboard' };
      }
      if (a.source === 'selection') {
        return { text: selectionText(), origin: 'editor selection' };
      }
    }
    const selection = selectionText();
    type Source = vscode.QuickPickItem & { source: 'clipboard' | 'selection' | 'input' };
    const items: Source[] = [
      { label: '$(clippy) From the clipboard', description: 'The clipboard is read only now, in the extension', source: 'clipboard' },
      ...(selection !== '' ? [{ label: '$(selection) From the editor selection', description: `${selection.length} characters`, source: 'selection' as const }] : []),
      { label: '$(edit) Paste a token…', description: 'Into an input box; nothing leaves VS Code', source: 'input' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Decode Token', placeHolder: 'Where is the token? Any JWT works, no cluster needed.' });
    if (picked === undefined) {
      return undefined;
    }
    if (picked.source === 'input') {
      const text = await askForToken();
      return text === undefined ? undefined : { text, origin: 'pasted text' };
    }
    const origin = picked.source === 'clipboard' ? 'clipboard' : 'editor selection';
    const text = picked.source === 'clipboard' ? await vscode.env.clipboard.readText() : selection;
    const decoded = text.trim() === '' ? undefined : tryDecodeToken(text);
    if (decoded?.ok === true) {
      return { text, origin };
    }
    // Picked by the user: an empty or undecodable source is fixed in the paste box, which says what is wrong, not in a tab.
    const fixed = await askForToken({ value: text, problem: decoded === undefined ? `The ${origin} is empty: paste a token here.` : `The ${origin} holds no token: ${decoded.error.message}` });
    return fixed === undefined ? undefined : { text: fixed, origin: 'pasted text' };
  };

  const decodeCommand = async (arg?: unknown): Promise<string | undefined> => {
    const input = await readInput(arg);
    if (input === undefined) {
      return undefined;
    }
    if (input.text.trim() === '') {
      return showInvalid(`Nothing to decode in the ${input.origin}`, `The ${input.origin} is empty. Copy a token (a JWT: three base64url parts separated by dots) and try again.`).key;
    }
    return inspectInput(input.text, input.origin).key;
  };

  const inspectCommand = async (arg?: unknown): Promise<string | undefined> => {
    const id = tokenIdOf(arg);
    if (id === undefined) {
      return decodeCommand();
    }
    return (await inspectStored(id))?.key;
  };

  /** Copy as, for a stored token (tree item) or an open panel; asks for the format when not given. */
  const copyAsCommand = async (arg?: unknown): Promise<void> => {
    const a = typeof arg === 'object' && arg !== null ? (arg as { format?: unknown; panelKey?: unknown }) : {};
    let format: CopyFormat | undefined = isCopyFormat(a.format) ? a.format : undefined;
    let panel: TokenPanel | undefined;
    if (typeof a.panelKey === 'string') {
      panel = panels.get(a.panelKey);
    } else {
      const id = tokenIdOf(arg);
      panel = id !== undefined ? panels.get(`store:${id}`) ?? (await inspectStored(id)) : [...panels.values()].find((p) => p.panel.active);
    }
    if (panel === undefined || panel.content.kind !== 'token') {
      void vscode.window.showInformationMessage('Open a token in the Token Inspector first (Inspect Token or Decode Token…).');
      return;
    }
    if (format === undefined) {
      const picked = await vscode.window.showQuickPick(copyFormats.map((f) => ({ label: copyFormatLabels[f], format: f })), { title: 'Copy Token As' });
      format = picked?.format;
    }
    if (format !== undefined) {
      await panel.copy(format);
      const copy = panel.state().lastCopy;
      if (copy !== undefined && !copy.ok) {
        if (copy.cancelled !== true) {
          void vscode.window.showErrorMessage(copy.message ?? 'Copy failed.');
        }
      } else if (format !== 'kubeconfig') {
        showStatusMessage(`$(check) Copied: ${copyFormatLabels[format]}`);
      }
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(commandIds.inspectToken, inspectCommand),
    vscode.commands.registerCommand(commandIds.decodeToken, decodeCommand),
    vscode.commands.registerCommand(commandIds.copyTokenAs, copyAsCommand),
    vscode.window.registerWebviewPanelSerializer(webviewIds.tokenInspector, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        // The page's state holds the view (claims) and the store id, never the token.
        if (!isPanelState(state)) {
          services.log.warn(`Inspector restore: the saved panel state is missing or malformed (keys: ${Object.keys(state ?? {}).join(", ") || "none"}).`);
          track(new TokenPanel(`${invalidKey}:restored:${Date.now()}`, webviewPanel, panelDeps, {
            kind: 'invalid', title: 'Nothing to restore', message: 'This inspector had no token. Use "Decode Token…" to open one.',
          }));
          return;
        }
        const content = await restoredContent(state.storeId, state.view);
        panels.get(state.key)?.dispose();
        track(new TokenPanel(state.key, webviewPanel, panelDeps, content));
      },
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
  );

  async function restoredContent(storeId: string | undefined, view: InspectorView | undefined): Promise<PanelContent> {
    if (storeId !== undefined) {
      const meta = services.tokenStore.get(storeId);
      const token = meta !== undefined ? await services.tokenStore.getToken(storeId) : undefined;
      const decoded = token !== undefined ? tryDecodeToken(token) : undefined;
      if (meta !== undefined && decoded?.ok === true) {
        return { kind: 'token', decoded: decoded.token, token: decoded.token.raw, source: 'store', storeId, contextName: meta.context };
      }
    }
    if (view !== undefined) {
      return { kind: 'restored', view: { ...view, source: 'restored', hasToken: false } };
    }
    return { kind: 'invalid', title: 'The token is gone', message: 'The token of this inspector was not kept. Use "Decode Token…" to open it again.' };
  }

  const api: InspectorApi = {
    panels: () => [...panels.values()].map((p) => p.state()),
    settled: async (key) => {
      await panels.get(key)?.settled();
    },
    ...(context.extensionMode !== vscode.ExtensionMode.Production
      ? {
        dispatch: async (key: string, message: unknown) => {
          const panel = panels.get(key);
          if (panel === undefined) {
            throw new Error(`No inspector panel ${key}`);
          }
          await panel.handleMessage(message as PanelToHost);
        },
        setSaveDialog: (dialog: SaveDialog | undefined) => {
          testSaveDialog = dialog;
        },
      }
      : {}),
  };
  return api;
}

function selectionText(): string {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return '';
  }
  return editor.selections.map((s) => editor.document.getText(s)).join('');
}
