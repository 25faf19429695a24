// Browser test of domain admins of several domains against the real server: the global admin
// gives a domain admin a second domain on the Account page; dana, domain admin of example.com
// and other.org (set by the CLI), filters the accounts by her second domain, locks an account
// there, and gets the not-found page for an account of a third domain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const DANA = 'dana@example.com';
const OLGA = 'olga@other.org';
const TOM = 'tom@third.net';
const EVE = 'eve@third.net';

let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['domain', 'create', 'other.org'],
      ['domain', 'create', 'third.net'],
      ['account', 'create', DANA, '--role', 'domain_admin', '--admin-domains', 'example.com,other.org', '--password', PASSWORD],
      ['account', 'create', EVE, '--role', 'domain_admin', '--password', PASSWORD],
      ['account', 'create', OLGA, '--password', PASSWORD],
      ['account', 'create', TOM, '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const login = (page, email, password = PASSWORD) => logInAs(page, server.baseUrl, email, password);

/** Goes to `path` inside the SPA, as a link would (see admin.test.mjs: addresses look like files). */
async function spaGo(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

async function quiet(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' }).catch(() => {});
  await page.evaluate(() => window.scrollTo(0, 0));
}

const accountPath = (email) => `/admin/accounts/${encodeURIComponent(email)}`;

test('the global admin gives a domain admin a second domain', async () => {
  const { page, problems } = await newPage(browser);
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await spaGo(page, accountPath(EVE));
  await page.getByTestId('admin-account-email').getByText(EVE).waitFor();
  const field = page.getByTestId('admin-domains');
  // No admin domains yet: her own domain.
  await field.getByText('third.net', { exact: true }).waitFor();
  assert.equal(await field.getByRole('button', { name: 'SAVE DOMAINS' }).isDisabled(), true);
  await page.getByRole('combobox', { name: 'Administered domains' }).click();
  await page.getByRole('option', { name: 'other.org', exact: true }).click();
  await page.keyboard.press('Escape');
  await field.getByRole('button', { name: 'SAVE DOMAINS' }).click();
  await page.getByText(`The domains ${EVE} administers are saved.`).waitFor();
  assert.equal(await field.getByRole('button', { name: 'SAVE DOMAINS' }).isDisabled(), true);
  const saved = await page.evaluate(async (e) => (await (await fetch(`/api/v1/admin/accounts/${e}`)).json()).adminDomains, EVE);
  assert.deepEqual(saved, ['other.org', 'third.net']);
  await quiet(page);
  await screenshot(page, 'admindomains-account');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);
});

test('a domain admin of two domains locks an account of the second; a third domain is not found', async () => {
  const { page, problems } = await newPage(browser);
  await login(page, DANA);
  await spaGo(page, '/admin/accounts');
  const rows = page.getByTestId('account-row');
  await rows.first().waitFor();
  const all = await rows.allTextContents();
  assert.ok(all.some((r) => r.includes(OLGA)), all.join(' | '));
  assert.ok(!all.some((r) => r.includes('third.net')), all.join(' | '));

  // The domain filter offers her domains, and only them.
  await page.getByRole('combobox', { name: 'Domain', exact: true }).click();
  const offered = await page.getByRole('option').allTextContents();
  assert.deepEqual(offered, ['example.com', 'other.org']);
  await page.getByRole('option', { name: 'other.org', exact: true }).click();
  await page.waitForURL('**/admin/accounts?domain=other.org');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=account-row]').length === 1);
  assert.match(await rows.first().textContent(), /olga@other\.org/);
  await quiet(page);
  await screenshot(page, 'admindomains-accounts');

  // Olga's account: lock it.
  await page.getByRole('link', { name: OLGA, exact: true }).click();
  await page.waitForURL(`**${accountPath(OLGA)}`);
  await page.getByTestId('admin-account-email').getByText(OLGA).waitFor();
  await page.getByRole('button', { name: 'LOCK', exact: true }).click();
  await page.getByRole('dialog', { name: `Lock ${OLGA}?` }).getByRole('button', { name: 'CONFIRM' }).click();
  await page.getByTestId('account-status').getByText('Locked').waitFor();
  const status = await page.evaluate(async (e) => (await (await fetch(`/api/v1/admin/accounts/${e}`)).json()).status, OLGA);
  assert.equal(status, 'locked');

  // Dana's own page shows her domains, read only.
  await spaGo(page, accountPath(DANA));
  await page.getByTestId('admin-domains').getByText('example.com, other.org').waitFor();
  assert.equal(await page.getByRole('button', { name: 'SAVE DOMAINS' }).count(), 0);
  await quiet(page);
  await screenshot(page, 'admindomains-readonly');

  // An account of a third domain does not exist for her.
  await spaGo(page, accountPath(TOM));
  await page.getByTestId('admin-not-found').getByText(`There is no account ${TOM} that you administer.`).waitFor();
  assert.deepEqual(
    problems.filter((p) => !/status of 404/.test(p)),
    [],
  );
});
