import type { Locator } from 'playwright-core';
import type { Workbench } from './workbench';

/** Where the UI checks look for what a user sees, each written once. */

/** A notification toast on screen (not the Notification Center's list) with `text`. */
export function toast(workbench: Workbench, text: string | RegExp): Locator {
  return workbench.page.locator('.notifications-toasts.visible .notification-toast', { hasText: text }).first();
}

/** A status-bar entry or message with `text`. */
export function statusBarItem(workbench: Workbench, text: string | RegExp): Locator {
  return workbench.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
}

/** The Service Accounts view's pane in the side bar. */
export function serviceAccountsView(workbench: Workbench): Locator {
  return workbench.page.locator('.pane', { has: workbench.page.locator('.pane-header', { hasText: 'Service Accounts' }) }).first();
}

/** The row of the Service Accounts view whose label is exactly `label`. */
export function treeRow(workbench: Workbench, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return serviceAccountsView(workbench).locator('.monaco-list-row', { has: workbench.page.locator('.label-name', { hasText: exact }) }).first();
}
