// Browser test of a domain's password policy: the global admin sets example.com's shortest
// password to 14 in Administration › Domains & COS (the form checks the range as the API does and
// shows the API's own refusals); bob of example.com then sees the 14-character rule in the
// change-password checklist and the API refuses a 12-character password.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const TWELVE = 'Quartz-Hero7'; // every character class, 12 characters
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['cos', 'create', 'staff', '--password-require-digit', 'false'],
      ['account', 'create', 'bob@example.com', '--password', PASSWORD],
      ['account', 'create', 'dana@example.com', '--role', 'domain_admin', '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const login = (page, email, password) => logInAs(page, server.baseUrl, email, password);

const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

test('a global admin sets a domain minimum of 14; its user must follow it', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  await page.waitForURL('**/admin/domains');
  const open = page.getByRole('button', { name: 'Password policy: example.com' });
  assert.equal(await open.textContent(), 'Inherited');
  assert.equal(await page.getByRole('button', { name: 'Password policy: staff' }).textContent(), '1 override');
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Password policy of example.com' });
  const minLength = dialog.getByLabel('Shortest password');
  assert.equal(await minLength.inputValue(), '', 'inherits');
  // "Inherit" says what it means now: the global value, read from the global settings.
  const global = await page.evaluate(async () => (await fetch('/api/v1/admin/settings')).json());
  await dialog.locator(`input[placeholder="Inherit (global: ${global.passwordMinLength})"]`).waitFor();
  const yesNo = (v) => (v ? 'Required' : 'Not required');
  assert.equal(await dialog.getByLabel('Needs a digit', { exact: true }).inputValue(), `Inherit (global: ${yesNo(global.passwordRequireDigit)})`);

  // Out of range: the form says so and sends nothing.
  let patches = 0;
  page.on('request', (r) => r.method() === 'PATCH' && patches++);
  await minLength.fill('200');
  await dialog.getByRole('button', { name: 'SAVE' }).click();
  await dialog.getByText('Enter a whole number from 1 to 128').waitFor();
  assert.equal(patches, 0);

  // A refusal of the API is shown in the dialog (here made up: the form already checks all the
  // API checks), and the dialog stays open.
  await minLength.fill('14');
  await page.route('**/api/v1/admin/domains/example.com', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_request', message: 'passwordMinLength must be between 1 and 128, or null to inherit' } }),
    }),
  );
  await dialog.getByRole('button', { name: 'SAVE' }).click();
  await dialog.getByTestId('org-password-error').getByText('passwordMinLength must be between 1 and 128').waitFor();
  await page.unroute('**/api/v1/admin/domains/example.com');

  await dialog.getByLabel('Needs a symbol', { exact: true }).click();
  await page.getByRole('option', { name: 'Not required' }).click();
  await dialog.getByRole('switch', { name: /The account password opens mail apps/ }).uncheck({ force: true });
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/policy-orgs-dialog.png' });
  await screenshot(page, 'admin-orgs-password');
  assert.deepEqual(await unnamedControls(page), []);
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/domains/example.com') && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: 'SAVE' }).click();
  assert.equal((await saved).status(), 200);
  await dialog.waitFor({ state: 'detached' });
  const d = await apiGet(page, '/api/v1/admin/domains/example.com');
  assert.deepEqual(
    [d.passwordMinLength, d.passwordRequireSymbol, d.passwordRequireDigit, d.accountPasswordForMail],
    [14, false, null, false],
  );
  await page.getByRole('button', { name: 'Password policy: example.com' }).filter({ hasText: '3 overrides' }).waitFor();
  // A COS inherits from the account's domain, else from the global settings.
  await page.getByRole('button', { name: 'Password policy: staff' }).click();
  const cos = page.getByRole('dialog', { name: 'Password policy of staff' });
  assert.equal(await cos.getByLabel('Needs a digit', { exact: true }).inputValue(), 'Not required', 'its own override');
  // The inherited values show once the global settings have loaded: wait for them first.
  await cos.locator(`input[placeholder="Inherit (domain, else global: ${global.passwordMinLength})"]`).waitFor();
  assert.equal(await cos.getByLabel('Needs a symbol', { exact: true }).inputValue(), `Inherit (domain, else global: ${yesNo(global.passwordRequireSymbol)})`);
  await page.waitForTimeout(300); // the dialog's opening transition
  await screenshot(page, 'admin-orgs-password-cos');
  await cos.getByRole('button', { name: 'CANCEL' }).click();
  await cos.waitFor({ state: 'detached' });
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: '/tmp/policy-orgs-page.png', fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);

  // bob of example.com: the checklist says 14, and 12 characters are refused by the API.
  const bob = await newPage(browser, { width: 1280, height: 900 });
  await login(bob.page, 'bob@example.com', PASSWORD);
  const rule = bob.page.locator('[data-check="min_length"]');
  await rule.waitFor();
  assert.match(await rule.textContent(), /At least 14 characters/);
  assert.equal(await bob.page.locator('[data-check="symbol"]').count(), 0, 'the domain dropped the symbol rule');
  await bob.page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
  await bob.page.getByLabel('New password', { exact: true }).fill(TWELVE);
  await bob.page.getByLabel('Confirm new password', { exact: true }).fill(TWELVE);
  assert.equal(await rule.getAttribute('data-ok'), 'false');
  const refused = bob.page.waitForResponse((r) => r.url().endsWith('/api/v1/me/password'));
  await bob.page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true }).click();
  const r = await refused;
  assert.equal(r.status(), 400);
  assert.deepEqual((await r.json()).error.details.map((x) => x.rule), ['min_length']);
  await bob.page.getByTestId('password-error').getByText('It is shorter than 14 characters.').waitFor();
  await bob.page.screenshot({ path: '/tmp/policy-bob-checklist.png', fullPage: true });
  assert.deepEqual(bob.problems.filter((p) => !/status of 400/.test(p)), []);
});

test('a domain admin sees her domain\'s password policy, read-only', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, 'dana@example.com', PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  await page.getByRole('button', { name: 'Password policy: example.com' }).click();
  const dialog = page.getByRole('dialog', { name: 'Password policy of example.com' });
  await dialog.getByText('Only a global administrator changes the password policy.').waitFor();
  assert.equal(await dialog.getByLabel('Shortest password').inputValue(), '14');
  assert.equal(await dialog.getByLabel('Shortest password').isDisabled(), true);
  assert.equal(await dialog.getByRole('switch', { name: /The account password opens mail apps/ }).isChecked(), false);
  assert.equal(await dialog.getByRole('button', { name: 'SAVE' }).count(), 0);
  // She may not read the global settings: "Inherit" alone, and no refused request.
  assert.equal(await dialog.getByLabel('Needs a digit', { exact: true }).inputValue(), 'Inherit');
  await page.screenshot({ path: '/tmp/policy-orgs-dialog-readonly.png' });
  assert.deepEqual(await unnamedControls(page), []);
  await dialog.getByRole('button', { name: 'CLOSE', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
});
