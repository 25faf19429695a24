// Browser test of adminRequireTwoFactor (on, as on a real install): the bootstrap admin, logged in
// with the password alone, is sent to set up OTP instead of seeing the Administration pages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startTessera({ adminTwoFactor: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an admin without a second factor is asked to set one up', async () => {
  const { page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
  await page.waitForURL('**/settings/password');
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Accounts' }).click();
  const notice = page.getByTestId('admin-two-factor');
  await notice.getByText('Two-factor authentication needed').waitFor();
  assert.equal(await page.getByRole('table', { name: 'Accounts' }).count(), 0);
  await screenshot(page, 'admin-two-factor-needed');
  assert.deepEqual(await unnamedControls(page), []);
  await notice.getByRole('link', { name: 'Set up OTP authentication' }).click();
  await page.waitForURL('**/settings/otp');
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);
});
