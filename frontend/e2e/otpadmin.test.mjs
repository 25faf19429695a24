// Browser test of what the Administration shows about second factors, with adminRequireTwoFactor
// on (a real install's default): an admin who has turned 2FA on but logged in before is told that
// only a new login with a code is missing (and gets a button for it), and a user's OTP entry shows
// its last use and the PIN codes left after a PIN login.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const BOB = 'bob@example.com';

let server;
let browser;

before(async () => {
  server = await startTessera({
    adminTwoFactor: true,
    setup: [
      ['domain', 'create', 'example.com'],
      ['account', 'create', BOB, '--password', PASSWORD],
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
  return async (method, path, body) => {
    const headers = { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && jar.has('tessera_csrf')) headers['X-CSRF-Token'] = jar.get('tessera_csrf');
    const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
}

/** An enabled OTP entry with 2FA on, for the account `call` is logged in as; returns the create body. */
async function enrol(call, label) {
  const created = await call('POST', '/api/v1/credentials', { kind: 'otp', label });
  assert.equal(created.status, 201);
  const step = timeStep();
  const confirmed = await call('POST', `/api/v1/credentials/${created.json.credential.id}/confirm`, { code: totp(created.json.secret.secret, step) });
  assert.equal(confirmed.status, 200);
  assert.equal((await call('PUT', '/api/v1/me/two-factor', { enabled: true })).status, 200);
  return { ...created.json, step };
}

test('an admin with 2FA on is asked for a new login only, and sees a user’s last use and PIN codes left', async () => {
  // Bob: an OTP entry, 2FA on, and a login with one of its PIN codes.
  const bob = apiClient();
  assert.equal((await bob('POST', '/api/v1/auth/login', { username: BOB, password: PASSWORD })).status, 200);
  const bobOtp = await enrol(bob, 'Bob authenticator');
  const again = apiClient();
  const first = await again('POST', '/api/v1/auth/login', { username: BOB, password: PASSWORD });
  assert.ok(first.json.challenge, 'a challenge');
  const pin = await again('POST', '/api/v1/auth/login/second-factor', { challenge: first.json.challenge, code: bobOtp.secret.pinCodes[0] });
  assert.equal(pin.status, 200);

  // The admin logs in with the password alone, then sets up OTP and turns 2FA on in that session.
  const { page, context, problems } = await newPage(browser, { width: 1280, height: 800 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  const csrf = (await context.cookies()).find((c) => c.name === 'tessera_csrf').value;
  const call = async (method, path, data) => {
    const res = await page.request.fetch(`${server.baseUrl}${path}`, { method, headers: { 'X-CSRF-Token': csrf }, data });
    return { status: res.status(), json: await res.json().catch(() => undefined) };
  };
  const mine = await enrol(call, 'Admin phone');

  // The Administration pages: 2FA is ready, only a login with a code is missing.
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Accounts' }).click();
  const notice = page.getByTestId('admin-two-factor');
  await notice.getByText('Log in again with your second factor').waitFor();
  await notice.getByText(/^Two-factor authentication is on for your account, but this session was opened before/).waitFor();
  assert.equal(await notice.getByText('Set up OTP authentication').count(), 0);
  assert.equal(await page.getByRole('table', { name: 'Accounts' }).count(), 0);
  await page.waitForTimeout(200);
  await screenshot(page, 'admin-two-factor-login-again');
  assert.deepEqual(await unnamedControls(page), []);

  // LOG OUT AND LOG IN AGAIN: the login with a code opens the page that was refused.
  await notice.getByRole('button', { name: 'LOG OUT AND LOG IN AGAIN' }).click();
  await page.waitForURL('**/login');
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
  await page.getByTestId('second-factor-code').fill(totp(mine.secret.secret, Math.max(mine.step + 1, timeStep())));
  await page.getByRole('button', { name: 'VERIFY', exact: true }).click();
  await page.waitForURL('**/admin/accounts');
  await page.getByRole('table', { name: 'Accounts' }).waitFor();

  // Bob's OTP entry: used (by the PIN login), with 9 of its 10 PIN codes left.
  await page.getByRole('link', { name: BOB, exact: true }).click();
  const row = page.getByTestId('admin-credentials').locator('[data-kind=otp]');
  await row.waitFor();
  assert.equal(await row.getByTestId('credential-pins-left').textContent(), '9 PIN codes left');
  assert.notEqual(await row.getByTestId('credential-last-used').textContent(), 'Never');
  assert.match(await row.getByTestId('credential-last-used').textContent(), /\d/);
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(300);
  await screenshot(page, 'admin-account-otp-used');
  assert.deepEqual(await unnamedControls(page), []);

  // 403: the refused Administration calls before the login with a code.
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);
});
