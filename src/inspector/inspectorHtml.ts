/** Where the page's files are, as webview URIs, and the webview's CSP source. */
export interface InspectorPageResources {
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/**
 * The inspector page's document: a strict CSP (nothing but our own script, by nonce, and our stylesheet;
 * no connect-src, so the page cannot reach the network) and a placeholder the script replaces.
 */
export function inspectorHtml(resources: InspectorPageResources, nonce: string): string {
  const csp = `default-src 'none'; style-src ${resources.cspSource}; img-src ${resources.cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resources.styleUri}">
<title>Token Inspector</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the token inspector…</p></main>
<script nonce="${nonce}" src="${resources.scriptUri}"></script>
</body>
</html>`;
}
