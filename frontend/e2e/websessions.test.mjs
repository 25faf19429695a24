// Browser test against the real `tessera serve`: two browsers log in to one account; the first
// sees both under "Where you're signed in", ends the other, and the other is logged out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startTessera();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('one browser ends the session of another, which is logged out', async () => {
  const a = await newPage(browser);
  const b = await newPage(browser);
  await logInAs(a.page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await logInAs(b.page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await a.page.reload();

  const card = a.page.getByTestId('web-sessions-card');
  const entries = card.getByTestId('web-session');
  await entries.nth(1).waitFor();
  assert.equal(await entries.count(), 2);
  assert.equal(await card.getByTestId('web-session-current').count(), 1);
  assert.match(await entries.first().textContent(), /Chrom|Unknown/);
  // No mobile app yet: its card says so.
  await a.page.getByTestId('app-sessions-empty').waitFor();
  await screenshot(a.page, 'web-sessions');
  assert.deepEqual(await unnamedControls(a.page), []);

  // The entry that is not this browser: end it, behind the confirmation.
  const other = entries.filter({ hasNot: a.page.getByTestId('web-session-current') });
  await other.getByTestId('web-session-end').click();
  const dialog = a.page.getByRole('dialog', { name: 'End this session?' });
  await dialog.waitFor();
  await screenshot(a.page, 'web-sessions-confirm');
  await dialog.getByRole('button', { name: 'End session', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await card.getByTestId('web-session').nth(1).waitFor({ state: 'detached' });
  assert.equal(await card.getByTestId('web-session').count(), 1);

  // The other browser: its next request gets 401 and it lands on the login page.
  await b.page.reload();
  await b.page.waitForURL('**/login');
  // This one still works.
  await a.page.reload();
  await a.page.getByTestId('web-session-current').waitFor();

  assert.deepEqual(a.problems, []);
});
