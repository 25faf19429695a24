// Browser test against the real `tessera serve` with Chromium's virtual authenticator (Chrome
// DevTools Protocol, WebAuthn domain): enrol a passkey in Passkeys, turn 2FA on, sign out, sign
// in with the password and the passkey, sign in with the passkey alone, remove it. A second
// browser context (another "device", without the authenticator) cannot use it. The page is
// http://localhost:PORT: browsers take no IP address as a relying-party id, and allow WebAuthn
// over plain http on localhost only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startTessera({ host: 'localhost' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A platform authenticator with resident keys and user verification, in this context only. */
async function virtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function logOut(page) {
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).click();
  await page.waitForURL('**/login');
}

test('a passkey is enrolled, then signs in as the second factor and alone, and is removed', async () => {
  const { context, page, problems } = await newPage(browser);
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);

  // The settings menu reads as the seed's, Passkeys after OTP Authentication.
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await nav.getByRole('link', { name: 'Passkeys' }).waitFor();
  const links = (await nav.getByRole('link').allTextContents()).map((t) => t.trim());
  assert.deepEqual(links.slice(0, 6), ['Change Password', 'Exchange ActiveSync', 'Mobile Apps', 'Application passcodes', 'OTP Authentication', 'Passkeys']);

  await nav.getByRole('link', { name: 'Passkeys' }).click();
  await page.getByTestId('passkeys-empty').waitFor();
  await page.getByRole('button', { name: 'NEW PASSKEY' }).click();
  const dialog = page.getByRole('dialog', { name: 'New passkey' });
  await dialog.getByLabel('Passkey name').fill('This laptop');
  await dialog.getByRole('button', { name: 'CREATE PASSKEY' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const entry = page.getByTestId('passkey-entry');
  await entry.waitFor();
  assert.equal(await entry.getByTestId('passkey-label').textContent(), 'This laptop');
  assert.match(await entry.textContent(), /Last used\s*never/);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true);
  await screenshot(page, 'passkeys-section');
  assert.deepEqual(await unnamedControls(page), []);

  // 2FA on: the passkey meets it (no OTP entry needed).
  await nav.getByRole('link', { name: 'OTP Authentication' }).click();
  const toggle = page.getByRole('switch', { name: /two-factor/i });
  await toggle.waitFor();
  await toggle.click({ force: true });
  await page.getByRole('switch', { name: /two-factor/i, checked: true }).waitFor();
  await page.waitForLoadState('networkidle');
  await logOut(page);

  // Password, then the passkey: offered first, with no code form (no OTP entry).
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
  const usePasskey = page.getByRole('button', { name: 'USE MY PASSKEY' });
  await usePasskey.waitFor();
  await screenshot(page, 'login-passkey-step');
  assert.deepEqual(await unnamedControls(page), []);
  await usePasskey.click();
  await page.waitForURL('**/settings/otp'); // back where the logout happened
  await logOut(page);

  // The passkey alone.
  await page.getByRole('button', { name: 'SIGN IN WITH A PASSKEY' }).waitFor();
  await screenshot(page, 'login-with-passkey');
  await page.getByRole('button', { name: 'SIGN IN WITH A PASSKEY' }).click();
  await page.waitForURL('**/settings/otp');
  await page.goto(`${server.baseUrl}/settings/passkeys`);
  await entry.waitFor();
  assert.doesNotMatch(await entry.textContent(), /Last used\s*never/);
  const { credentials: used } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.ok(used[0].signCount >= 2, `sign count ${used[0].signCount}`);

  // The administrator's account page lists it among the account's credentials.
  await page.goto(`${server.baseUrl}/admin/accounts/${encodeURIComponent(BOOTSTRAP_EMAIL)}`);
  const row = page.getByTestId('admin-credential').and(page.locator('[data-kind="passkey"]'));
  await row.waitFor();
  assert.match(await row.textContent(), /This laptop/);
  assert.match(await row.textContent(), /Passkey/);
  await screenshot(page, 'admin-account-passkey');

  // The domain turns passwordless sign-in off (Domains & COS): the passkey alone is refused,
  // with words; as the second factor it still works.
  await page.goto(`${server.baseUrl}/admin/domains`);
  await page.getByRole('combobox', { name: 'Passkey sign-in: example.com' }).click();
  await page.getByRole('option', { name: 'Not allowed' }).click();
  await page.getByText('example.com', { exact: false }).first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByRole('combobox', { name: 'Passkey sign-in: example.com' }).inputValue(), 'Not allowed');
  await logOut(page);
  await page.getByRole('button', { name: 'SIGN IN WITH A PASSKEY' }).click();
  await page.getByTestId('login-error').waitFor();
  assert.match(await page.getByTestId('login-error').textContent(), /turned off/);
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
  await page.getByRole('button', { name: 'USE MY PASSKEY' }).click();
  await page.waitForURL('**/admin/domains');
  await page.getByRole('combobox', { name: 'Passkey sign-in: example.com' }).click();
  await page.getByRole('option', { name: 'Inherit' }).click();
  await page.waitForLoadState('networkidle');
  await page.goto(`${server.baseUrl}/settings/passkeys`);
  await entry.waitFor();

  // A second browser context: no authenticator holds the passkey, so no sign-in.
  const other = await newPage(browser);
  const stranger = await virtualAuthenticator(other.context, other.page);
  await other.page.goto(`${server.baseUrl}/login`);
  await other.page.getByRole('button', { name: 'SIGN IN WITH A PASSKEY' }).click();
  await other.page.getByTestId('login-error').waitFor();
  await screenshot(other.page, 'login-passkey-unknown');
  assert.equal(other.page.url(), `${server.baseUrl}/login`);
  const { credentials: none } = await stranger.cdp.send('WebAuthn.getCredentials', { authenticatorId: stranger.authenticatorId });
  assert.equal(none.length, 0);
  await other.context.close();

  // Removed: listed no more, and it signs in no more.
  await entry.getByRole('button', { name: /Delete/ }).click();
  const confirm = page.getByRole('dialog');
  await confirm.getByRole('button', { name: /YES|Delete/i }).last().click();
  await page.getByTestId('passkeys-empty').waitFor();
  await logOut(page);
  await page.getByRole('button', { name: 'SIGN IN WITH A PASSKEY' }).click();
  await page.getByTestId('login-error').waitFor();
  assert.match(await page.getByTestId('login-error').textContent(), /not accepted/);

  assert.deepEqual(problems.filter((p) => !/status of 40[13]/.test(p)), []);
  await context.close();
});
