// Browser test of "Remember this browser" against the real `tessera serve`: a user with TOTP
// logs in ticking the box, logs out, and logs in again without the second step; forgetting the
// browser in "Where you're signed in" brings the second step back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, screenshot, unnamedControls } from './browser.mjs';
import { startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

const EMAIL = 'eve@example.com';
const PASSWORD = 'Juniper-Quarry-Lamp-62';

let server;
let browser;

before(async () => {
  server = await startTessera({ setup: [['domain', 'create', 'example.com'], ['account', 'create', EMAIL, '--password', PASSWORD]] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function passwordStep(page) {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Username', { exact: true }).fill(EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
}

async function logOut(page) {
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).click();
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'LOG IN', exact: true }).waitFor();
}

/** An API call of the logged-in page (CSRF header from its cookie), as the SPA makes it. */
async function call(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('tessera_csrf='))?.split('=')[1] ?? '';
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    },
    { method, path, body },
  );
}

test('a remembered browser skips the second step until it is forgotten', async () => {
  const { page, problems } = await newPage(browser);
  // Eve enrols a TOTP entry and turns 2FA on (through the API: otp.test.mjs covers the pages).
  await passwordStep(page);
  await page.waitForURL('**/settings/password');
  const created = await call(page, 'POST', '/api/v1/credentials', { kind: 'otp', label: 'Phone' });
  assert.equal(created.status, 201);
  const secret = created.body.secret.secret;
  const step = timeStep();
  const confirmed = await call(page, 'POST', `/api/v1/credentials/${created.body.credential.id}/confirm`, { code: totp(secret, step) });
  assert.equal(confirmed.status, 200);
  assert.equal((await call(page, 'PUT', '/api/v1/me/two-factor', { enabled: true })).status, 200);
  await logOut(page);

  // The second step offers to remember the browser (30 days by default); tick it.
  await passwordStep(page);
  await page.getByTestId('second-factor-code').waitFor();
  const box = page.getByRole('checkbox', { name: 'Remember this browser for 30 days' });
  assert.equal(await box.isChecked(), false);
  await page.getByTestId('second-factor-code').fill(totp(secret, step + 1));
  await box.check();
  await screenshot(page, 'trusted-browser-second-step');
  assert.deepEqual(await unnamedControls(page), []);
  await page.getByRole('button', { name: 'VERIFY', exact: true }).click();
  await page.waitForURL(/\/settings\/[a-z-]+$/);
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).waitFor();
  await logOut(page);

  // Again: the password only, straight in.
  await passwordStep(page);
  await page.waitForURL(/\/settings\/[a-z-]+$/);
  assert.equal(await page.getByTestId('second-factor-code').count(), 0);

  // The card lists it as this browser; forget it behind the confirmation.
  await page.goto(`${server.baseUrl}/settings/password`);
  const card = page.getByTestId('trusted-browsers-card');
  const entry = card.getByTestId('trusted-browser');
  await entry.first().waitFor();
  assert.equal(await entry.count(), 1);
  await card.getByTestId('trusted-browser-current').waitFor();
  assert.match(await entry.first().textContent(), /Until/);
  await screenshot(page, 'trusted-browser-card');
  assert.deepEqual(await unnamedControls(page), []);
  await entry.first().getByTestId('trusted-browser-forget').click();
  const dialog = page.getByRole('dialog', { name: 'Forget this browser?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Forget browser', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await card.getByTestId('trusted-browsers-empty').waitFor();
  await logOut(page);

  // The second step is back.
  await passwordStep(page);
  await page.getByTestId('second-factor-code').waitFor();
  await page.getByRole('checkbox', { name: 'Remember this browser for 30 days' }).waitFor();

  assert.deepEqual(problems, []);
});
