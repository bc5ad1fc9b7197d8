/**
 * The token inspector page. Renders what the host sends (claims, never the token unless revealed),
 * keeps the countdown live, and turns button clicks into PanelToHost messages. It makes no network
 * calls (the CSP has no connect-src) and persists only the token-free view (setState).
 */
import {
  copyFormatLabels, copyFormats, isHostToPanel, serverCheckLabels, isPanelState,
  type CheckResultView, type HostToPanel, type InspectorView, type PanelState, type PanelToHost, type ServerCheck,
  type VerificationView,
} from '../protocol';
import { formatTimeLeft } from '../../core/expiry/expiry';
import { formatRelative } from '../../core/expiry/timeFormat';
import { lifetimeRows } from '../../core/token/lifetimeRows';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let view: InspectorView | undefined;
let verification: VerificationView | undefined;
let nextRequestId = 1;
const pending = new Map<number, ServerCheck>();
let ticker: number | undefined;


// ---------------------------------------------------------------------------------------------
// Tiny DOM helpers (textContent only: claim values come from an untrusted token)

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string | undefined>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function section(id: string, title: string, ...children: Array<Node | undefined>): HTMLElement {
  return el('section', { id, 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title` }, title), ...children);
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderInvalid(title: string, message: string): void {
  view = undefined;
  app.replaceChildren(
    el('div', { class: 'invalid', role: 'alert' },
      el('h1', {}, title),
      el('p', { class: 'message' }, message),
      el('p', {}, 'A service-account token is a JWT: three base64url parts separated by dots (header.payload.signature), a few hundred to a few thousand characters.')),
    button('Decode another token…', () => post({ type: 'decodeAnother' }), { class: 'primary' }),
  );
  app.setAttribute('aria-busy', 'false');
  vscode.setState({ key: 'invalid' });
}

function verificationBanner(): HTMLElement {
  const v = verification ?? { state: 'pending', title: 'Verifying the signature…', detail: '' };
  const banner = el('div', { id: 'verification', class: `banner state-${v.state}`, role: 'status', 'aria-live': 'polite' },
    el('strong', { class: 'state-title' }, v.title),
    el('p', {}, v.detail));
  if (view?.hasToken === true && v.state !== 'pending') {
    banner.append(button('Verify again', () => post({ type: 'verify' }), { class: 'secondary', title: 'Fetch the cluster\'s keys again and re-check the signature' }));
  }
  return banner;
}

function identitySection(v: InspectorView): HTMLElement {
  const id = v.identity;
  const rows: Array<[string, string]> = [];
  if (id.kind === 'not-kubernetes') {
    rows.push(['Kind', 'Not a Kubernetes service-account token'], ['Why', id.reason ?? '']);
  } else {
    rows.push(['Kind', id.kind === 'bound' ? 'Bound service-account token (TokenRequest API)' : 'Legacy Secret-based service-account token']);
    rows.push(['Service account', `${id.namespace ?? '?'}/${id.serviceAccount ?? '?'}`]);
    rows.push(['Bound to', id.binding !== undefined ? `${id.binding.kind} ${id.binding.name}${id.binding.uid !== undefined ? ` (uid ${id.binding.uid})` : ''}` : 'nothing (lives until it expires or the service account is deleted)']);
  }
  if (v.context !== undefined) {
    rows.push(['Cluster context', v.context]);
  }
  rows.push(['Algorithm / key id', `${v.alg ?? '(none)'} / ${v.kid ?? '(none)'}`]);
  return section('identity', 'Identity', el('dl', {}, ...rows.flatMap(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])));
}

function lifetimeSection(v: InspectorView): HTMLElement {
  const l = v.lifetime;
  const children: Node[] = [];
  if (l.expMs === undefined) {
    children.push(el('p', { class: 'warn' }, 'This token has no expiry (exp claim): it is valid until its signing key or service account goes away.'));
  } else {
    children.push(el('p', { class: 'countdown' }, el('span', { id: 'countdown', role: 'timer', 'aria-live': 'off' }, '')));
    if (l.iatMs !== undefined && l.expMs > l.iatMs) {
      const bar = el('div', { class: 'bar', id: 'lifetime-bar', role: 'progressbar', 'aria-label': 'Lifetime used, from issue time to expiry', 'aria-valuemin': '0', 'aria-valuemax': '100' },
        el('div', { class: 'bar-fill', id: 'lifetime-fill' }));
      if (l.warnAfterMs !== undefined) {
        const pct = Math.min(100, Math.max(0, ((l.warnAfterMs - l.iatMs) / (l.expMs - l.iatMs)) * 100));
        const marker = el('div', { class: 'bar-marker', title: 'warnafter: past this point the cluster flags the token as stale', 'aria-hidden': 'true' });
        marker.style.left = `${pct}%`;
        bar.append(marker);
      }
      children.push(bar, el('div', { class: 'bar-legend' },
        el('span', {}, 'issued'),
        l.warnAfterMs !== undefined ? el('span', { class: 'legend-warn' }, '▲ warnafter') : undefined,
        el('span', {}, 'expires')));
    }
  }
  const c = l.comparison;
  if (c !== undefined) {
    const rows = lifetimeRows(c);
    children.push(el('dl', { class: 'comparison' }, ...rows.flatMap(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])));
    for (const text of c.explanations) {
      children.push(el('p', { class: c.extended ? 'note extended' : 'note shortened' }, text));
    }
  }
  return section('lifetime', 'Lifetime', ...children);
}

function claimsSection(v: InspectorView): HTMLElement {
  const verified = verification?.state === 'verified';
  const table = el('table', { class: 'claims' },
    el('caption', {}, verified ? 'Claims (signature verified)' : 'Claims (UNVERIFIED: anyone can write these until the signature is verified)'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Claim'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Meaning'))),
    el('tbody', {}, ...v.claims.map((row) => {
      const value = el('td', { class: 'value' }, el('code', {}, row.value));
      if (row.time !== undefined) {
        value.append(el('div', { class: 'time' },
          el('span', {}, row.time.local), el('span', {}, row.time.utc),
          el('span', { class: 'relative', 'data-ms': String(row.time.ms) }, row.time.relative)));
      }
      return el('tr', {}, el('th', { scope: 'row' }, el('span', { class: 'label' }, row.label), el('code', { class: 'claim' }, row.claim)), value, el('td', {}, row.explanation));
    })));
  const heading = el('span', {}, 'Claims ', el('span', { class: verified ? 'badge ok' : 'badge unverified', id: 'verified-badge' }, verified ? 'VERIFIED' : 'UNVERIFIED'));
  const s = el('section', { id: 'claims', 'aria-labelledby': 'claims-title' }, el('h2', { id: 'claims-title' }, heading), table);
  s.append(el('details', {}, el('summary', {}, 'Raw JSON (header and payload)'),
    el('h3', {}, 'Header'), el('pre', { tabindex: '0', 'aria-label': 'Header JSON' }, v.headerJson),
    el('h3', {}, 'Payload'), el('pre', { tabindex: '0', 'aria-label': 'Payload JSON' }, v.claimsJson)));
  return s;
}

function checksSection(v: InspectorView): HTMLElement {
  if (!v.hasToken) {
    return section('checks', 'Server checks', el('p', { class: 'muted' }, 'The token was not kept after the reload: decode it again to run server checks.'));
  }
  const nsInput = el('input', { id: 'rules-namespace', type: 'text', value: v.identity.namespace ?? 'default', 'aria-label': 'Namespace for "What can it do"', spellcheck: 'false', size: '16' });
  const run = (check: ServerCheck) => {
    const requestId = nextRequestId++;
    pending.set(requestId, check);
    const ns = nsInput.value.trim();
    const out = document.getElementById(`check-${check}`);
    out?.replaceChildren(el('p', { class: 'muted' }, 'Asking the API server…'));
    post(check === 'rules' && ns !== '' ? { type: 'check', requestId, check, namespace: ns } : { type: 'check', requestId, check });
  };
  const rows = [
    el('div', { class: 'check' }, button(serverCheckLabels.tokenReview, () => run('tokenReview')), el('span', { class: 'muted' }, 'Does the API server accept the token? (needs create tokenreviews)'), el('div', { id: 'check-tokenReview', 'aria-live': 'polite' })),
    el('div', { class: 'check' }, button(serverCheckLabels.whoami, () => run('whoami')), el('span', { class: 'muted' }, 'SelfSubjectReview with the token'), el('div', { id: 'check-whoami', 'aria-live': 'polite' })),
    el('div', { class: 'check' }, button(serverCheckLabels.rules, () => run('rules')), el('label', { for: 'rules-namespace' }, 'in namespace '), nsInput, el('div', { id: 'check-rules', 'aria-live': 'polite' })),
  ];
  if (v.identity.binding !== undefined) {
    rows.push(el('div', { class: 'check' }, button(serverCheckLabels.boundObject, () => run('boundObject')), el('span', { class: 'muted' }, `${v.identity.binding.kind} ${v.identity.binding.name}`), el('div', { id: 'check-boundObject', 'aria-live': 'polite' })));
  }
  return section('checks', 'Server checks', el('p', { class: 'muted' }, 'These send the token to the API server of the cluster context above.'), ...rows);
}

function copySection(v: InspectorView): HTMLElement {
  if (!v.hasToken) {
    return section('copy', 'Copy as', el('p', { class: 'muted' }, 'The token was not kept after the reload: decode it again to copy it.'));
  }
  return section('copy', 'Copy as',
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Copy the token as' },
      ...copyFormats.map((f) => button(copyFormatLabels[f], () => post({ type: 'copy', format: f }), { class: 'secondary', 'data-format': f }))),
    el('p', { id: 'copy-status', role: 'status', 'aria-live': 'polite', class: 'muted' }));
}

function tokenHeader(v: InspectorView): HTMLElement {
  const masked = el('code', { id: 'token-text', class: 'masked', 'aria-label': 'Token (masked)' }, v.masked);
  const header = el('header', {},
    el('h1', {}, v.title),
    el('p', { class: 'muted' }, v.source === 'store' ? 'Issued by this extension (kept in SecretStorage).' : v.source === 'restored' ? 'Restored after a reload: the token itself was not kept.' : 'Decoded locally. Nothing was sent anywhere.'),
    el('div', { class: 'token-line' }, masked));
  if (v.hasToken) {
    const toggle = button('Reveal token', () => {
      if (toggle.getAttribute('aria-pressed') === 'true') {
        hideToken();
      } else {
        post({ type: 'reveal' });
      }
    }, { id: 'reveal', class: 'secondary', 'aria-pressed': 'false', 'aria-controls': 'token-text' });
    header.querySelector('.token-line')?.append(toggle);
  }
  header.append(button('Decode another token…', () => post({ type: 'decodeAnother' }), { class: 'link' }));
  return header;
}

function hideToken(): void {
  const text = document.getElementById('token-text');
  const toggle = document.getElementById('reveal');
  if (text !== null && view !== undefined) {
    text.textContent = view.masked;
    text.className = 'masked';
    text.setAttribute('aria-label', 'Token (masked)');
  }
  toggle?.setAttribute('aria-pressed', 'false');
  if (toggle !== null) {
    toggle.textContent = 'Reveal token';
  }
}

function render(v: InspectorView): void {
  view = v;
  const notes = v.notes.length > 0 ? section('notes', 'Notes', el('ul', {}, ...v.notes.map((n) => el('li', {}, n)))) : undefined;
  app.replaceChildren(tokenHeader(v), verificationBanner(), identitySection(v), lifetimeSection(v), claimsSection(v), checksSection(v), copySection(v), ...(notes !== undefined ? [notes] : []));
  app.setAttribute('aria-busy', 'false');
  // Token-free by construction: the view has no token and no signature.
  vscode.setState({ key: v.key, ...(v.storeId !== undefined ? { storeId: v.storeId } : {}), view: v });
  tick();
  if (ticker === undefined) {
    ticker = window.setInterval(tick, 1000);
  }
}

function tick(): void {
  if (view === undefined) {
    return;
  }
  const now = Date.now();
  const l = view.lifetime;
  const countdown = document.getElementById('countdown');
  if (countdown !== null && l.expMs !== undefined) {
    const left = l.expMs - now;
    countdown.textContent = left > 0 ? `Expires in ${formatTimeLeft(left)}` : `Expired ${formatTimeLeft(-left)} ago`;
    countdown.className = left <= 0 ? 'expired' : l.warnAfterMs !== undefined && now >= l.warnAfterMs ? 'stale' : left < 5 * 60_000 ? 'soon' : '';
  }
  const fill = document.getElementById('lifetime-fill');
  if (fill !== null && l.iatMs !== undefined && l.expMs !== undefined) {
    const pct = Math.min(100, Math.max(0, ((now - l.iatMs) / (l.expMs - l.iatMs)) * 100));
    fill.style.width = `${pct}%`;
    document.getElementById('lifetime-bar')?.setAttribute('aria-valuenow', String(Math.round(pct)));
  }
  for (const node of document.querySelectorAll<HTMLElement>('.relative[data-ms]')) {
    const ms = Number(node.dataset.ms);
    if (Number.isFinite(ms)) {
      node.textContent = formatRelative(ms, now);
    }
  }
}

function renderCheck(result: CheckResultView): void {
  const out = document.getElementById(`check-${result.check}`);
  if (out === null) {
    return;
  }
  const parts: Node[] = [el('p', { class: `result ${result.status}` }, result.summary)];
  if (result.details.length > 0) {
    parts.push(el('dl', {}, ...result.details.flatMap(([k, val]) => [el('dt', {}, k), el('dd', {}, val)])));
  }
  if (result.table !== undefined) {
    const t = result.table;
    parts.push(el('table', { class: 'rules' },
      el('caption', {}, t.caption),
      el('thead', {}, el('tr', {}, ...t.columns.map((c) => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, ...(t.rows.length === 0 ? [el('tr', {}, el('td', { colspan: String(t.columns.length) }, 'No rules: the token may do nothing here.'))] : t.rows.map((r) => el('tr', {}, ...r.map((cell) => el('td', {}, cell))))))));
  }
  if (result.explanation !== undefined) {
    parts.push(el('p', { class: 'note' }, result.explanation));
  }
  out.replaceChildren(...parts);
}

function post(message: PanelToHost): void {
  vscode.postMessage(message);
}

function onMessage(message: HostToPanel): void {
  switch (message.type) {
    case 'render':
      render(message.view);
      return;
    case 'invalid':
      renderInvalid(message.title, message.message);
      return;
    case 'verification': {
      verification = message.verification;
      if (view !== undefined) {
        document.getElementById('verification')?.replaceWith(verificationBanner());
        document.getElementById('claims')?.replaceWith(claimsSection(view));
      }
      return;
    }
    case 'checkResult':
      pending.delete(message.requestId);
      renderCheck(message.result);
      return;
    case 'checkFailed': {
      pending.delete(message.requestId);
      document.getElementById(`check-${message.check}`)?.replaceChildren(el('p', { class: 'result bad', role: 'alert' }, message.message));
      return;
    }
    case 'revealed': {
      // Shown only in the DOM, never saved with setState; hidden again by the same button.
      const text = document.getElementById('token-text');
      const toggle = document.getElementById('reveal');
      if (text !== null) {
        text.textContent = message.token;
        text.className = 'revealed';
        text.setAttribute('aria-label', 'Token (revealed)');
      }
      toggle?.setAttribute('aria-pressed', 'true');
      if (toggle !== null) {
        toggle.textContent = 'Hide token';
      }
      return;
    }
    case 'copied': {
      const status = document.getElementById('copy-status');
      if (status !== null) {
        // A saved kubeconfig's notes say where it went; everything else went to the clipboard.
        status.textContent = [`${copyFormatLabels[message.format]}:`, ...(message.format === 'kubeconfig' ? [] : ['copied to the clipboard.']), ...message.notes].join(' ');
        status.className = 'ok';
      }
      return;
    }
    case 'copyFailed': {
      const status = document.getElementById('copy-status');
      if (status !== null) {
        status.textContent = `${copyFormatLabels[message.format]}: ${message.message}`;
        status.className = 'bad';
      }
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToPanel(event.data)) {
    onMessage(event.data);
  }
});

// Show the last view at once after a reload; the host re-sends the current one after `ready`.
const saved = vscode.getState();
if (isPanelState(saved) && saved.view !== undefined) {
  render(saved.view);
}
post({ type: 'ready' });
