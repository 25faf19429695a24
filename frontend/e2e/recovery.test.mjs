// Browser test of the recovery address (issue 19): the user sets it on the Change Password
// page (a bad address is refused in the form, the account's own too), it is shown after a
// reload and on the administrator's account page, and Remove clears it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startTessera();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the user sets and removes their recovery address', async () => {
  const { page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.goto(`${server.baseUrl}/password`);
  const card = page.getByTestId('recovery-card');
  const field = card.getByRole('textbox', { name: 'Recovery address' });
  await field.waitFor();
  assert.equal(await field.inputValue(), '');

  await field.fill('not an address');
  await card.getByRole('button', { name: 'SAVE' }).click();
  await card.getByText('Enter a plain address like name@example.org.').waitFor();
  await field.fill(BOOTSTRAP_EMAIL.toUpperCase());
  await card.getByRole('button', { name: 'SAVE' }).click();
  await card.getByText('Choose an address other than this account’s own.').waitFor();

  await field.fill('Admin.Private@Elsewhere.org');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/recovery-email'));
  await card.getByRole('button', { name: 'SAVE' }).click();
  assert.equal((await saved).status(), 200);
  await page.getByText('Security notices now go to admin.private@elsewhere.org too.').waitFor();
  await page.reload();
  await field.waitFor();
  assert.equal(await field.inputValue(), 'admin.private@elsewhere.org');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'recovery-address-user');

  await page.goto(`${server.baseUrl}/admin/accounts/${BOOTSTRAP_EMAIL}`);
  const adminField = page.getByTestId('recovery-email').getByRole('textbox', { name: 'Recovery address' });
  await adminField.waitFor();
  assert.equal(await adminField.inputValue(), 'admin.private@elsewhere.org');
  await screenshot(page, 'recovery-address-admin');

  await page.goto(`${server.baseUrl}/password`);
  await field.waitFor();
  await card.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('The recovery address is removed.').waitFor();
  assert.equal(await field.inputValue(), '');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);
});
