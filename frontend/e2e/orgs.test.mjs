// Browser test of Administration › Domains & COS against the real server: the global admin adds
// a domain and a COS, changes their policy and deletes the empty ones (a used COS cannot be);
// a domain admin sees her own domain only, read-only, and resets a user's password.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['domain', 'create', 'other.org'],
      ['cos', 'create', 'staff'],
      ['account', 'create', 'dana@example.com', '--role', 'domain_admin', '--password', PASSWORD, '--cos', 'staff'],
      ['account', 'create', 'bob@example.com', '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const login = (page, email, password) => logInAs(page, server.baseUrl, email, password);

const row = (page, table, name) => page.getByTestId(table).locator(`[data-testid=org-row][data-name="${name}"]`);

/** The policy as the API has it (the page's own view could be stale). */
async function apiGet(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

/**
 * A closed dialog has finished closing once the focus is back on what opened it and the page's
 * scroll lock is lifted (its scroll bar comes back and moves the page: a click before that misses).
 */
async function focusBackOn(page, label) {
  await page.waitForFunction(
    (l) => document.activeElement?.getAttribute('aria-label') === l && !document.body.hasAttribute('data-scroll-locked'),
    label,
  );
}

test('the global admin manages domains and classes of service', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  await page.waitForURL('**/admin/domains');
  await row(page, 'domains', 'other.org').waitFor();

  // Add a domain; a bad name shows the API's message and adds nothing.
  const domains = page.getByTestId('domains');
  await domains.getByLabel('New domain').fill('not a domain');
  await domains.getByRole('button', { name: 'ADD' }).click();
  await domains.getByText('not a domain name').waitFor();
  await domains.getByLabel('New domain').fill('other.org');
  await domains.getByRole('button', { name: 'ADD' }).click();
  await domains.getByText('other.org already exists.').waitFor();
  await domains.getByLabel('New domain').fill('new.net');
  await domains.getByRole('button', { name: 'ADD' }).click();
  await row(page, 'domains', 'new.net').waitFor();

  // A 2FA policy changes every account of the domain at once: picking one asks first, saying how
  // many accounts; Cancel saves nothing and the select shows the policy in force.
  const patches = [];
  page.on('request', (r) => r.method() === 'PATCH' && r.url().includes('/api/v1/admin/domains/') && patches.push(r.url()));
  const policyAsk = page.getByRole('dialog', { name: 'Change the 2FA policy of example.com?' });
  await page.getByRole('combobox', { name: '2FA policy: example.com' }).click();
  await page.getByRole('option', { name: 'Required' }).click();
  await policyAsk.getByText(/^New policy: Required\. It applies at once to every account of example\.com \(3 accounts\)/).waitFor();
  await policyAsk.getByText(/need a second factor/).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'admin-orgs-policy-confirm');
  assert.deepEqual(await unnamedControls(page), []);
  await policyAsk.getByRole('button', { name: 'Cancel', exact: true }).click();
  await policyAsk.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('combobox', { name: '2FA policy: example.com' }).inputValue(), 'Not set (inherit)');
  assert.equal((await apiGet(page, '/api/v1/admin/domains/example.com')).twoFactor, 'unset');
  assert.deepEqual(patches, []);

  // Require 2FA on other.org (confirmed) and device passwords on new.net.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/domains/other.org') && r.request().method() === 'PATCH');
  await page.getByRole('combobox', { name: '2FA policy: other.org' }).click();
  await page.getByRole('option', { name: 'Required' }).click();
  const otherAsk = page.getByRole('dialog', { name: 'Change the 2FA policy of other.org?' });
  await otherAsk.getByText(/No account is in other\.org yet/).waitFor();
  await otherAsk.getByRole('button', { name: 'CHANGE POLICY', exact: true }).click();
  assert.equal((await saved).status(), 200);
  await otherAsk.waitFor({ state: 'detached' });
  await focusBackOn(page, '2FA policy: other.org');
  // The list's switches show the saved state, so they turn only once the PATCH is answered:
  // click and wait for it, since check() wants the state changed at once (it failed under load).
  await page.getByRole('switch', { name: 'Phones need a device password: new.net' }).click({ force: true });
  await page.waitForFunction(() => document.querySelector('[data-name="new.net"] input[role=switch]')?.checked === true);
  await page.waitForTimeout(300);
  const other = await apiGet(page, '/api/v1/admin/domains/other.org');
  assert.equal(other.twoFactor, 'required');
  const created = await apiGet(page, '/api/v1/admin/domains/new.net');
  assert.equal(created.easRequireDevicePassword, true);

  // The COS: staff has dana, so it cannot be deleted; a new empty one can.
  const cos = page.getByTestId('cos');
  await cos.getByLabel('New class of service').fill('interns');
  await cos.getByRole('button', { name: 'ADD' }).click();
  await row(page, 'cos', 'interns').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Delete staff' }).isDisabled(), true);
  await page.getByRole('combobox', { name: '2FA policy: staff' }).click();
  await page.getByRole('option', { name: 'Forbidden' }).click();
  const staffAsk = page.getByRole('dialog', { name: 'Change the 2FA policy of staff?' });
  await staffAsk.getByText(/every account of staff \(1 account\)\. They log in with their password alone/).waitFor();
  await page.keyboard.press('Escape');
  await staffAsk.waitFor({ state: 'detached' });
  await focusBackOn(page, '2FA policy: staff');
  assert.equal((await apiGet(page, '/api/v1/admin/cos/staff')).twoFactor, 'unset');
  await page.getByRole('switch', { name: 'Exchange ActiveSync allowed: interns' }).click({ force: true });
  await page.waitForFunction(() => document.querySelector('[data-name="interns"] input[role=switch]')?.checked === false);
  await page.waitForTimeout(300);
  assert.equal((await apiGet(page, '/api/v1/admin/cos/interns')).easEnabled, false);

  for (const [quit, header] of [['new.net', 'domains'], ['interns', 'cos']]) {
    await page.getByRole('button', { name: `Delete ${quit}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${quit}?` });
    await dialog.getByRole('button', { name: 'DELETE' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, header, quit).waitFor({ state: 'detached' });
  }
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'admin-orgs');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems.filter((p) => !/status of (400|409)/.test(p)), []);
});

test('a domain admin sees her domain and the COS, read-only', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, 'dana@example.com', PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  await row(page, 'domains', 'example.com').waitFor();
  assert.equal(await page.getByTestId('domains').getByTestId('org-row').count(), 1, 'only her domain');
  await row(page, 'cos', 'staff').waitFor();
  assert.equal(await page.getByLabel('New domain').count(), 0);
  assert.equal(await page.getByRole('combobox', { name: '2FA policy: example.com' }).isDisabled(), true);
  assert.equal(await page.getByRole('switch', { name: 'Exchange ActiveSync allowed: staff' }).isDisabled(), true);
  await page.getByText('a global administrator changes them').waitFor();
  await screenshot(page, 'admin-orgs-domain-admin');
  // The API refuses her a change all the same.
  const status = await page.evaluate(async () => {
    const csrf = document.cookie.match(/tessera_csrf=([^;]+)/)?.[1] ?? '';
    const r = await fetch('/api/v1/admin/domains/example.com', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ twoFactor: 'forbidden' }),
    });
    return r.status;
  });
  assert.equal(status, 403);
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);
});

test('a domain admin resets a user\'s password: shown once, and it works', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, 'dana@example.com', PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: 'bob@example.com' }).click();
  await page.getByRole('button', { name: 'RESET PASSWORD' }).click();
  const confirm = page.getByRole('dialog', { name: 'Reset the password of bob@example.com?' });
  await confirm.getByRole('button', { name: 'CONFIRM' }).click();
  const shown = page.getByRole('dialog', { name: 'New password for bob@example.com' });
  const password = (await shown.getByTestId('reset-password').textContent()).trim();
  assert.ok(password.length >= 16, password);
  await page.waitForTimeout(300);
  await screenshot(page, 'admin-reset-password');
  assert.deepEqual(await unnamedControls(page), []);
  // Escape does not throw the password away: it asks first; Go back shows the same password.
  await page.keyboard.press('Escape');
  const ask = page.getByRole('dialog', { name: 'Did you copy it?' });
  await ask.getByText(/^This password cannot be shown again/).waitFor();
  await ask.getByRole('button', { name: 'Go back', exact: true }).click();
  await ask.waitFor({ state: 'detached' });
  assert.equal((await shown.getByTestId('reset-password').textContent()).trim(), password);
  await shown.getByRole('button', { name: 'DONE' }).click();
  await shown.waitFor({ state: 'detached' });
  // The new password logs bob in; the old one no longer does.
  const apiLogin = async (pw) =>
    (await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bob@example.com', password: pw }),
    })).status;
  assert.equal(await apiLogin(PASSWORD), 401);
  assert.equal(await apiLogin(password), 200);
  assert.deepEqual(problems, []);
});

test('the global admin changes global settings; a domain admin has no such page', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Global settings' }).click();
  await page.waitForURL('**/admin/settings');
  const minLength = page.getByLabel('Shortest password');
  await minLength.waitFor();
  const save = page.getByRole('button', { name: 'SAVE' });
  assert.equal(await save.isDisabled(), true, 'nothing to save yet');
  await minLength.fill('12');
  await page.getByRole('switch', { name: 'Needs a symbol' }).check({ force: true });
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/settings') && r.request().method() === 'PATCH');
  await save.click();
  assert.equal((await saved).status(), 200);
  await page.getByText('The settings were saved.').waitFor();
  const settings = await apiGet(page, '/api/v1/admin/settings');
  assert.equal(settings.passwordMinLength, 12);
  assert.equal(settings.passwordRequireSymbol, true);
  assert.equal(settings.adminRequireTwoFactor, false, 'untouched keys stay');
  // The password policy now applies: the change-password page says 12 characters.
  const policy = await apiGet(page, '/api/v1/me/password-policy');
  assert.equal(policy.minLength, 12);
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'admin-settings');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);

  const dana = await newPage(browser, { width: 1400, height: 900 });
  await login(dana.page, 'dana@example.com', PASSWORD);
  await dana.page.getByTestId('admin-nav').getByRole('link', { name: 'Accounts' }).waitFor();
  assert.equal(await dana.page.getByRole('link', { name: 'Global settings' }).count(), 0);
});
