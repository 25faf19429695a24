// Browser test of a password reset that requires a change: the global admin resets bob's
// password with "Require a change at next login" (on by default), bob logs in with it, lands on
// Change Password with a notice and can reach nothing else, changes it, and then has his normal
// settings back; the admin's accounts list and account page show the pending change until then.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const OWN_PASSWORD = 'Bright-Orchard-Own-58!';
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
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

/** The names of the links in the Settings menu. */
async function menu(page) {
  return page.getByRole('navigation').getByRole('link').allTextContents();
}

test('a reset that requires a change: the user must change the password before anything else', async () => {
  // The admin resets bob's password; the box is ticked by default.
  const { page: adm, problems: admProblems } = await newPage(browser, { width: 1400, height: 900 });
  await login(adm, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await adm.goto(`${server.baseUrl}/admin/accounts/bob@example.com`);
  await adm.getByTestId('admin-account-email').waitFor();
  assert.equal(await adm.getByTestId('password-change-pending').count(), 0);
  await adm.getByRole('button', { name: 'RESET PASSWORD' }).click();
  const confirm = adm.getByRole('dialog', { name: 'Reset the password of bob@example.com?' });
  const box = confirm.getByRole('checkbox', { name: 'Require a change at next login' });
  assert.equal(await box.isChecked(), true, 'require a change is the default');
  await adm.waitForTimeout(300);
  await screenshot(adm, 'mustchange-reset-dialog');
  assert.deepEqual(await unnamedControls(adm), []);
  await confirm.getByRole('button', { name: 'CONFIRM' }).click();
  const shown = adm.getByRole('dialog', { name: 'New password for bob@example.com' });
  const temporary = (await shown.getByTestId('reset-password').textContent()).trim();
  assert.ok(temporary.length >= 16, temporary);
  await shown.getByText('must choose a new password when they log in').waitFor();
  await shown.getByRole('button', { name: 'DONE' }).click();
  await shown.waitFor({ state: 'detached' });
  await adm.getByTestId('password-change-pending').waitFor();
  assert.equal(await adm.getByTestId('password-change-pending').textContent(), 'Password change pending');
  await screenshot(adm, 'mustchange-admin-account');
  // The accounts list shows it too, in bob's row only.
  await adm.goto(`${server.baseUrl}/admin/accounts`);
  const bobRow = adm.getByRole('row').filter({ hasText: 'bob@example.com' });
  await bobRow.getByTestId('password-change-pending').waitFor();
  assert.equal(await adm.getByTestId('password-change-pending').count(), 1);
  await screenshot(adm, 'mustchange-admin-accounts');

  // Bob logs in with it and lands on Change Password, with a notice and nothing else offered.
  const { page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await login(page, 'bob@example.com', temporary);
  await page.getByTestId('password-change-required').waitFor();
  await page.getByText('An administrator has reset your password.').waitFor();
  assert.deepEqual(await menu(page), ['Change Password']);
  assert.equal(await page.getByRole('button', { name: 'Log out everywhere' }).count(), 0);
  await page.waitForTimeout(300);
  await screenshot(page, 'mustchange-forced-change');
  assert.deepEqual(await unnamedControls(page), []);
  // Other pages lead back here, and the API refuses them too.
  for (const path of ['/settings/eas', '/settings/otp', '/admin/accounts']) {
    await page.goto(`${server.baseUrl}${path}`);
    await page.waitForURL('**/settings/password');
    await page.getByTestId('password-change-required').waitFor();
  }
  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/v1/credentials');
    return [r.status, (await r.json()).error.code];
  });
  assert.deepEqual(refused, [403, 'password_change_required']);

  // The change: the notice goes, the whole menu comes back, same session.
  await page.getByLabel('Current password', { exact: true }).fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(OWN_PASSWORD);
  await page.getByLabel('Confirm new password', { exact: true }).fill(OWN_PASSWORD);
  await page.getByRole('button', { name: 'CHANGE PASSWORD' }).click();
  await page.getByText('Password changed. Other sessions have been signed out.').waitFor();
  await page.getByTestId('password-change-required').waitFor({ state: 'detached' });
  assert.deepEqual(await menu(page), ['Change Password', 'Exchange ActiveSync', 'Mobile Apps', 'Application passcodes', 'OTP Authentication', 'Passkeys']);
  await page.getByRole('link', { name: 'Exchange ActiveSync' }).click();
  await page.waitForURL('**/settings/eas');
  await page.getByRole('button', { name: 'NEW AUTHENTICATION' }).waitFor();
  await screenshot(page, 'mustchange-after-change');
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);

  // The admin sees that nothing is pending any more, in the list and on the account page.
  await adm.reload();
  await adm.getByRole('row').filter({ hasText: 'bob@example.com' }).waitFor();
  assert.equal(await adm.getByTestId('password-change-pending').count(), 0);
  await adm.goto(`${server.baseUrl}/admin/accounts/bob@example.com`);
  await adm.getByTestId('admin-account-email').waitFor();
  assert.equal(await adm.getByTestId('password-change-pending').count(), 0);
  assert.deepEqual(admProblems, []);
});
