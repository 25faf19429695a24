// Browser test of what a domain admin may do to the accounts of her domain: dana administers
// bob (a user) and only reads gadm (a global admin of her domain). Both have an EAS password and
// a phone; gadm's account, in the list and on its page, is marked read only and shows no action;
// bob's shows them all. The API agrees: dana's write on gadm is 403 forbidden.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const DANA = 'dana@example.com';
const BOB = 'bob@example.com';
const GADM = 'gadm@example.com';

let server;
let browser;

/** In the page's session: a JSON call with the CSRF header the SPA sends. */
function call(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const csrf = document.cookie.match(/(?:^|; )tessera_csrf=([^;]*)/)?.[1] ?? '';
      const res = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: res.status, json: await res.json().catch(() => undefined) };
    },
    [method, path, body],
  );
}

/** The account makes itself an EAS password "Phone", and a phone registers with it. */
async function phoneOf(email) {
  const { page, context } = await newPage(browser);
  await logInAs(page, server.baseUrl, email, PASSWORD);
  const eas = await call(page, 'POST', '/api/v1/credentials', { kind: 'eas', label: 'Phone' });
  assert.equal(eas.status, 201, JSON.stringify(eas.json));
  const res = await fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=${encodeURIComponent(email)}&DeviceId=ROLESPHONE1&DeviceType=iPhone`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${email}:${eas.json.secret.password}`).toString('base64')}`,
      'MS-ASProtocolVersion': '16.1',
      'User-Agent': 'Apple-iPhone15C2/2101.1',
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    },
  });
  assert.ok(res.status < 500, `EAS answered ${res.status}`);
  await context.close();
}

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['account', 'create', DANA, '--role', 'domain_admin', '--password', PASSWORD],
      ['account', 'create', BOB, '--password', PASSWORD],
      ['account', 'create', GADM, '--role', 'global_admin', '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
  await phoneOf(BOB);
  await phoneOf(GADM);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

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
const ACCOUNT_ACTIONS = ['LOCK', 'CLOSE ACCOUNT', 'END ALL SESSIONS', 'RESET PASSWORD'];

/** The account page of `email`, once its credential and its device are shown. */
async function openAccount(page, email) {
  await spaGo(page, accountPath(email));
  await page.getByTestId('admin-account-email').getByText(email).waitFor();
  await page.getByTestId('admin-credentials').getByTestId('credential-label').getByText('Phone', { exact: true }).waitFor();
  await page.getByTestId('admin-devices').locator('[data-id=ROLESPHONE1]').waitFor();
}

/** How many of each action the page offers. */
async function actionCounts(page) {
  const out = {};
  for (const name of ACCOUNT_ACTIONS) out[name] = await page.getByRole('button', { name, exact: true }).count();
  out.newEas = await page.getByRole('button', { name: 'NEW EAS PASSWORD' }).count();
  out.credentialMenu = await page.getByRole('button', { name: 'Actions for Phone' }).count();
  const device = page.getByTestId('admin-devices').locator('[data-id=ROLESPHONE1]');
  out.deviceButtons = await device.getByRole('button').count();
  return out;
}

test('a domain admin sees a global admin of her domain read only, and manages a user', async () => {
  const { page, problems } = await newPage(browser);
  await logInAs(page, server.baseUrl, DANA, PASSWORD);

  // The list marks every administrator's account, hers included; not bob's. (The bootstrap admin
  // is not made: gadm is a global admin already.)
  await spaGo(page, '/admin/accounts');
  const rows = page.getByTestId('account-row');
  await rows.first().waitFor();
  const marked = {};
  for (const row of await rows.all()) {
    marked[await row.locator('a').first().textContent()] = (await row.getByTestId('account-read-only').count()) === 1;
  }
  assert.deepEqual(marked, { [BOB]: false, [DANA]: true, [GADM]: true });
  assert.equal(await rows.filter({ hasText: GADM }).getByTestId('account-read-only').textContent(), 'Administrator — read only');
  await quiet(page);
  await screenshot(page, 'adminroles-accounts');

  // Gadm's page: marked, explained, no action anywhere; his credential and phone are listed.
  await openAccount(page, GADM);
  await page.getByTestId('account-read-only-note').getByText('Another administrator’s account').waitFor();
  assert.equal(await page.getByTestId('account-read-only').count(), 1);
  assert.deepEqual(await actionCounts(page), {
    LOCK: 0,
    'CLOSE ACCOUNT': 0,
    'END ALL SESSIONS': 0,
    'RESET PASSWORD': 0,
    newEas: 0,
    credentialMenu: 0,
    deviceButtons: 0,
  });
  await quiet(page);
  await screenshot(page, 'adminroles-readonly');
  assert.deepEqual(await unnamedControls(page), []);

  // The API refuses what the page does not offer.
  const made = await call(page, 'POST', `/api/v1/admin/accounts/${GADM}/credentials`, { kind: 'eas', label: 'Backdoor' });
  assert.equal(made.status, 403);
  assert.equal(made.json.error.code, 'forbidden');

  // Bob's page: every action.
  await openAccount(page, BOB);
  assert.equal(await page.getByTestId('account-read-only').count(), 0);
  assert.equal(await page.getByTestId('account-read-only-note').count(), 0);
  assert.deepEqual(await actionCounts(page), {
    LOCK: 1,
    'CLOSE ACCOUNT': 1,
    'END ALL SESSIONS': 1,
    'RESET PASSWORD': 1,
    newEas: 1,
    credentialMenu: 1,
    deviceButtons: 5, // reset, wipe, remove; block and suspend (an allowed device)
  });
  await quiet(page);
  await screenshot(page, 'adminroles-user');

  assert.deepEqual(
    problems.filter((p) => !/status of 403/.test(p)),
    [],
  );
});
