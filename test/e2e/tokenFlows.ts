import type { Workbench } from './workbench';

/** Forgets every stored token through the command a user runs, confirming its dialog when one is asked. */
export async function forgetAllTokens(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Kubernetes ServiceAccount Tokens: Forget All Tokens');
  const confirm = workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Forget All' }).first();
  try {
    await confirm.click({ timeout: 5_000 });
  } catch {
    // Nothing stored: no confirmation was asked.
  }
  await workbench.page.locator('.statusbar-item .codicon-key').first().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
}

/** Waits for the wizard step whose title contains `title`, filters by `filter` (optional), accepts with Enter. */
export async function answerStep(workbench: Workbench, title: string, filter?: string): Promise<void> {
  const widget = workbench.page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
  await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  if (filter !== undefined) {
    await widget.locator('input.input').first().fill(filter);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: filter }).first().waitFor({ state: 'visible', timeout: 30_000 });
  }
  await workbench.page.keyboard.press('Enter');
}

/** Issues a token for `namespace/account` through the real wizard, by keyboard: default audience, no binding. */
export async function requestTokenByKeyboard(workbench: Workbench, namespace: string, account: string, lifetime: string): Promise<void> {
  await workbench.runCommand('Kubernetes ServiceAccount Tokens: Request Token');
  await answerStep(workbench, 'namespace', namespace);
  await answerStep(workbench, `service account in ${namespace}`, account);
  await answerStep(workbench, 'audiences'); // the API server default is pre-checked
  await answerStep(workbench, 'lifetime', lifetime);
  await answerStep(workbench, 'bind to an object', 'None');
  await answerStep(workbench, 'review'); // Request token
}

/**
 * A suite's teardown: the UI checks share one VS Code profile, so `tidy` puts back what the suite changed
 * (Escape first: a quick input may still be open); the window closes whatever happens.
 */
export async function tearDownWorkbench(workbench: Workbench | undefined, tidy: (workbench: Workbench) => Promise<void>): Promise<void> {
  if (workbench === undefined) {
    return;
  }
  try {
    await workbench.page.keyboard.press('Escape');
    await tidy(workbench);
  } finally {
    await workbench.close();
  }
}
