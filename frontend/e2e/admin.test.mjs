// Browser test of the Administration area against the real server: a domain admin (dana) sees
// the accounts of her domain only, unlocks bob's OTP entry, disables his EAS password, resets his
// device and requests a wipe; the audit page downloads CSV; a user (bob) gets no Administration.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const DANA = 'dana@example.com';
const BOB = 'bob@example.com';
const OLGA = 'olga@other.org';
const DEVICE_ID = 'ADMINE2EPHONE01';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let browser;
/** What the API part did to bob's OTP entry: 'locked' (10 failures) or the failures it reached. */
let otpOutcome;

before(async () => {
  server = await startTessera({
    setup: [
      // serve creates example.com with the bootstrap admin only later: the CLI needs it now.
      ['domain', 'create', 'example.com'],
      ['domain', 'create', 'other.org'],
      ['account', 'create', DANA, '--role', 'domain_admin', '--password', PASSWORD],
      ['account', 'create', BOB, '--password', PASSWORD],
      ['account', 'create', OLGA, '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A tiny API client with a cookie jar (the CSRF header on unsafe methods). */
function apiClient() {
  const jar = new Map();
  const call = async (method, path, body) => {
    const headers = { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && jar.has('tessera_csrf')) headers['X-CSRF-Token'] = jar.get('tessera_csrf');
    const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
  };
  return { call };
}

const login = (page, email) => logInAs(page, server.baseUrl, email, PASSWORD);

/**
 * Goes to `path` inside the SPA (as a link would). Not page.goto: the server's SPA fallback
 * answers a path ending in ".org" or ".com" (an address) with a plain 404, as if it were a file.
 */
async function spaGo(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** Before a screenshot: notifications closed, scrolled to the top. */
async function quiet(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' }).catch(() => {});
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Problems other than the HTTP statuses a test provokes on purpose (the browser logs those). */
function unexpected(problems, ...statuses) {
  const expected = new RegExp(`status of (${statuses.join('|')})`);
  return problems.filter((p) => !expected.test(p));
}

test('a user has no Administration: no menu, and the pages say so', async () => {
  const { page, problems } = await newPage(browser);
  await login(page, BOB);
  await page.getByRole('navigation').getByRole('link', { name: 'Change Password' }).waitFor();
  assert.equal(await page.getByTestId('admin-nav').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Accounts' }).count(), 0);
  await page.goto(`${server.baseUrl}/admin/accounts`);
  await page.getByTestId('admin-forbidden').getByText('The Administration area is for administrators only.').waitFor();
  await page.goto(`${server.baseUrl}/admin/audit`);
  await page.getByTestId('admin-forbidden').waitFor();
  // And the API agrees.
  const status = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts')).status);
  assert.equal(status, 403);
  assert.deepEqual(unexpected(problems, 403), []);
});

test('bob, through the API: an EAS password and a device, an OTP entry, 2FA on, wrong codes', async () => {
  const bob = apiClient();
  assert.equal((await bob.call('POST', '/api/v1/auth/login', { username: BOB, password: PASSWORD })).status, 200);

  // An EAS password, and a phone that syncs with it (its first request registers the device).
  const eas = await bob.call('POST', '/api/v1/credentials', { kind: 'eas', label: 'Bob phone' });
  assert.equal(eas.status, 201);
  const res = await fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=${encodeURIComponent(BOB)}&DeviceId=${DEVICE_ID}&DeviceType=iPhone`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${BOB}:${eas.json.secret.password}`).toString('base64')}`,
      'MS-ASProtocolVersion': '16.1',
      'User-Agent': 'Apple-iPhone15C2/2101.1',
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    },
  });
  assert.ok(res.status < 500, `EAS answered ${res.status}`);

  // An OTP entry, confirmed with a code of its key, and 2FA on.
  const otp = await bob.call('POST', '/api/v1/credentials', { kind: 'otp', label: 'Bob authenticator' });
  assert.equal(otp.status, 201);
  const confirm = await bob.call('POST', `/api/v1/credentials/${otp.json.credential.id}/confirm`, { code: totp(otp.json.secret.secret, timeStep()) });
  assert.equal(confirm.status, 200);
  assert.equal((await bob.call('PUT', '/api/v1/me/two-factor', { enabled: true })).status, 200);

  // Wrong second factors until the entry locks (10), waiting out the account throttle (after 5
  // failures it answers 429 with Retry-After, doubling from 2 s).
  let failures = 0;
  const deadline = Date.now() + 150_000;
  while (failures < 10 && Date.now() < deadline) {
    const anon = apiClient();
    const first = await anon.call('POST', '/api/v1/auth/login', { username: BOB, password: PASSWORD });
    if (first.status === 429) {
      await sleep(first.retryAfter * 1000 + 200);
      continue;
    }
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.ok(first.json.challenge, 'a challenge');
    const second = await anon.call('POST', '/api/v1/auth/login/second-factor', { challenge: first.json.challenge, code: '000000' });
    if (second.status === 429) {
      await sleep(second.retryAfter * 1000 + 200);
      continue;
    }
    assert.equal(second.status, 401, JSON.stringify(second.json));
    failures++;
  }
  const admin = apiClient();
  assert.equal((await admin.call('POST', '/api/v1/auth/login', { username: DANA, password: PASSWORD })).status, 200);
  const list = await admin.call('GET', `/api/v1/admin/accounts/${encodeURIComponent(BOB)}/credentials`);
  const entry = list.json.items.find((c) => c.kind === 'otp');
  otpOutcome = entry.status === 'locked' ? 'locked' : entry.failedAttempts;
  console.log(`bob's OTP entry after ${failures} wrong codes: ${entry.status}, ${entry.failedAttempts} failed attempts`);
  assert.ok(entry.failedAttempts > 0, 'the wrong codes were counted');
  if (failures >= 10) assert.equal(entry.status, 'locked');
});

test('a domain admin manages the accounts of her domain', async () => {
  assert.ok(otpOutcome !== undefined, 'the API part ran');
  const { page, context, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, DANA);

  // The Administration group of the menu.
  const adminNav = page.getByTestId('admin-nav');
  await adminNav.getByText('Administration').waitFor();
  await adminNav.getByRole('link', { name: 'Accounts' }).click();
  await page.waitForURL('**/admin/accounts');
  const table = page.getByRole('table', { name: 'Accounts' });
  await table.waitFor();
  const emails = await table.getByTestId('account-row').locator('a').allTextContents();
  assert.ok(emails.includes(BOB) && emails.includes(DANA), emails.join(', '));
  assert.ok(!emails.includes(OLGA), 'olga is of another domain');
  assert.ok(emails.every((e) => e.endsWith('@example.com')), emails.join(', '));

  // Search.
  await page.getByLabel('Search accounts').fill('bob');
  await page.getByRole('button', { name: 'SEARCH' }).click();
  await page.waitForURL('**/admin/accounts?q=bob');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=account-row]').length === 1);
  await page.getByLabel('Search accounts').fill('');
  await page.getByRole('button', { name: 'SEARCH' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=account-row]').length >= 3);
  await page.waitForTimeout(200);
  await quiet(page);
  await screenshot(page, 'admin-accounts');
  assert.deepEqual(await unnamedControls(page), []);

  // Another domain's account is not found.
  await spaGo(page, `/admin/accounts/${OLGA}`);
  await page.getByTestId('admin-not-found').getByText(`There is no account ${OLGA} that you administer.`).waitFor();

  // Bob's page.
  await page.goto(`${server.baseUrl}/admin/accounts`);
  await page.getByRole('link', { name: BOB, exact: true }).click();
  await page.waitForURL(`**/admin/accounts/${encodeURIComponent(BOB)}`);
  await page.getByTestId('admin-account-email').getByText(BOB).waitFor();
  const creds = page.getByTestId('admin-credentials');
  const otpRow = creds.locator('[data-kind=otp]');
  await otpRow.waitFor();
  if (otpOutcome === 'locked') {
    assert.equal(await otpRow.getByTestId('credential-status').textContent(), 'Locked');
    assert.equal(await otpRow.getByTestId('credential-failed').textContent(), '10 / 10');
  } else {
    assert.equal(await otpRow.getByTestId('credential-failed').textContent(), `${otpOutcome} / 10`);
  }
  await page.waitForTimeout(200);
  await quiet(page);
  await screenshot(page, 'admin-account-before');

  // Unlock (or reset the failed attempts of) the OTP entry.
  await otpRow.getByRole('button', { name: 'Actions for Bob authenticator' }).click();
  const otpMenu = page.getByRole('menu', { name: 'Actions for Bob authenticator' });
  const item = otpOutcome === 'locked' ? 'Unlock' : 'Reset failed attempts';
  const patched = page.waitForResponse((r) => /\/api\/v1\/admin\/credentials\/\d+$/.test(r.url()) && r.request().method() === 'PATCH');
  assert.equal(await otpMenu.getByRole('menuitem', { name: 'Enable' }).count(), 0, 'a locked entry is unlocked, not enabled');
  await otpMenu.getByRole('menuitem', { name: item }).click();
  assert.equal((await patched).status(), 200);
  await page.waitForFunction(
    () => document.querySelector('[data-kind=otp] [data-testid=credential-failed]')?.textContent === '0 / 10',
  );
  assert.equal(await otpRow.getByTestId('credential-status').textContent(), 'Enabled');

  // Disable the EAS password.
  const easRow = creds.locator('[data-kind=eas]');
  const easMenu = page.getByRole('menu', { name: 'Actions for Bob phone' });
  await easRow.getByRole('button', { name: 'Actions for Bob phone' }).click();
  await easMenu.getByRole('menuitem', { name: 'Disable' }).click();
  await page.waitForFunction(() => document.querySelector('[data-kind=eas] [data-testid=credential-status]')?.textContent === 'Disabled');

  // Set and clear an expiry on it.
  await easRow.getByRole('button', { name: 'Actions for Bob phone' }).click();
  await easMenu.getByRole('menuitem', { name: 'Set expiry' }).click();
  const expiryDialog = page.getByRole('dialog', { name: 'Expiry of Bob phone' });
  await expiryDialog.getByLabel('Expires at').fill('2031-05-06T07:08');
  await expiryDialog.getByRole('button', { name: 'SAVE' }).click();
  await expiryDialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => /2031/.test(document.querySelector('[data-kind=eas] [data-testid=credential-expiry]')?.textContent ?? ''));
  await easRow.getByRole('button', { name: 'Actions for Bob phone' }).click();
  await easMenu.getByRole('menuitem', { name: 'Clear expiry' }).click();
  await page.waitForFunction(() => document.querySelector('[data-kind=eas] [data-testid=credential-expiry]')?.textContent === 'None');

  // A new EAS password for bob: the secret is shown once, to the admin.
  await creds.getByRole('button', { name: 'NEW EAS PASSWORD' }).click();
  const newDialog = page.getByRole('dialog', { name: 'New Exchange ActiveSync password' });
  await newDialog.getByLabel('Label').fill('Bob tablet');
  await newDialog.getByRole('button', { name: 'CREATE PASSWORD' }).click();
  await newDialog.getByTestId('new-secret').waitFor();
  assert.match((await newDialog.getByTestId('new-secret').textContent()).replace(/-/g, ''), /^[A-Z0-9]{16}$/);
  await newDialog.getByText('This password cannot be displayed again after you close this window.').waitFor();
  // Escape does not throw the password away: it asks first; Go back shows the same password.
  const shownEas = (await newDialog.getByTestId('new-secret').textContent()).trim();
  await page.keyboard.press('Escape');
  const askEas = page.getByRole('dialog', { name: 'Did you copy it?' });
  await askEas.getByText(/^This password cannot be shown again/).waitFor();
  await askEas.getByRole('button', { name: 'Go back', exact: true }).click();
  await askEas.waitFor({ state: 'detached' });
  assert.equal((await newDialog.getByTestId('new-secret').textContent()).trim(), shownEas);
  await newDialog.getByRole('button', { name: 'DONE' }).click();
  await newDialog.waitFor({ state: 'detached' });
  await creds.getByTestId('credential-label').getByText('Bob tablet', { exact: true }).waitFor();

  // Devices: reset, then request a wipe (after a warning).
  const devices = page.getByTestId('admin-devices');
  const device = devices.locator(`[data-id=${DEVICE_ID}]`);
  await device.waitFor();
  await device.getByRole('button', { name: /^Reset / }).click();
  await page.getByText(/was reset: it syncs again from the start\.$/).waitFor();
  await device.getByRole('button', { name: /^Request wipe of / }).click();
  const wipeDialog = page.getByRole('dialog', { name: /^Wipe / });
  await wipeDialog.getByText(/every app, photo and file/).waitFor();
  await wipeDialog.getByRole('radio', { name: 'Wipe the whole phone' }).check();
  await wipeDialog.getByRole('button', { name: 'REQUEST WIPE' }).click();
  await wipeDialog.waitFor({ state: 'detached' });
  await page.waitForFunction(
    (id) => document.querySelector(`[data-id=${id}] [data-testid=device-wipe-state]`)?.textContent === 'Wipe requested',
    DEVICE_ID,
  );

  // The audit trail of the account shows what dana did, newest first.
  const trail = page.getByTestId('admin-account-audit');
  await trail.getByTestId('audit-row').first().waitFor();
  const kinds = await trail.getByTestId('audit-kind').allTextContents();
  assert.ok(kinds.length > 0);
  const times = await page.evaluate(async (email) => {
    const r = await fetch(`/api/v1/admin/audit?account=${encodeURIComponent(email)}`);
    return (await r.json()).items.map((e) => e.at);
  }, BOB);
  const ms = times.map((t) => Date.parse(t));
  assert.ok(ms.every((t, i) => i === 0 || ms[i - 1] >= t), 'newest first');
  await page.waitForTimeout(300);
  await quiet(page);
  await screenshot(page, 'admin-account');
  assert.deepEqual(await unnamedControls(page), []);

  // Lock and unlock the account (confirm dialogs).
  await page.getByRole('button', { name: 'LOCK', exact: true }).click();
  const lockDialog = page.getByRole('dialog', { name: `Lock ${BOB}?` });
  await lockDialog.getByRole('button', { name: 'CONFIRM' }).click();
  await lockDialog.waitFor({ state: 'detached' });
  await page.getByTestId('account-status').getByText('Locked').waitFor();
  await page.getByRole('button', { name: 'UNLOCK', exact: true }).click();
  await page.getByRole('dialog', { name: `Unlock ${BOB}?` }).getByRole('button', { name: 'CONFIRM' }).click();
  await page.getByTestId('account-status').getByText('Active').waitFor();

  // The audit page: filters, and the CSV download.
  await adminNav.getByRole('link', { name: 'Audit log' }).click();
  await page.waitForURL('**/admin/audit');
  await page.getByRole('table', { name: 'Audit events' }).waitFor();
  await page.getByLabel('Account', { exact: true }).fill(BOB);
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/admin/audit?account='));
  await page.getByRole('button', { name: 'APPLY' }).click();
  assert.equal((await filtered).status(), 200);
  await page.getByTestId('audit-row').first().waitFor();
  await page.waitForTimeout(300);
  await quiet(page);
  await screenshot(page, 'admin-audit');
  assert.deepEqual(await unnamedControls(page), []);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'DOWNLOAD CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'tessera-audit.csv');
  const csv = readFileSync(await file.path(), 'utf8');
  assert.match(csv, /^time,actor,account,kind,outcome,reason,client_ip/);
  const rows = csv.trim().split('\n').slice(1);
  assert.ok(rows.length > 0);
  assert.ok(rows.every((r) => r.includes(BOB)), 'the account filter applies to the CSV');
  void context;

  assert.deepEqual(unexpected(problems, 404), []);
});
