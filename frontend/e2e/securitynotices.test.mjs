// Browser test of the security notices setting (issue 19): the Global settings page lists the
// events, all on by default; turning one off is saved through the API; the setting comes back
// after a reload.
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

test('the global admin chooses which events send a security notice', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.goto(`${server.baseUrl}/admin/settings`);
  const group = page.getByTestId('security-notices');
  await group.waitFor();
  const boxes = group.getByRole('checkbox');
  assert.equal(await boxes.count(), 10);
  for (const box of await boxes.all()) assert.equal(await box.isChecked(), true);

  await group.getByLabel('A new phone syncs for the first time').uncheck();
  await group.getByLabel('An OTP entry locks after wrong codes').uncheck();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/settings') && r.request().method() === 'PATCH');
  await page.getByRole('button', { name: 'SAVE' }).click();
  const res = await saved;
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(res.request().postData()), {
    securityNotices: ['credential_created', 'credential_deleted', 'password_changed', 'password_reset', 'two_factor_off', 'new_browser', 'pin_codes_low', 'recovery_changed'],
  });
  await page.getByText('The settings were saved.').waitFor();
  // Ticking one back and off again leaves nothing to save.
  await group.getByLabel('An OTP entry locks after wrong codes').check();
  await group.getByLabel('An OTP entry locks after wrong codes').uncheck();
  assert.equal(await page.getByRole('button', { name: 'SAVE' }).isDisabled(), true);

  await page.reload();
  await group.waitFor();
  assert.equal(await group.getByLabel('A new phone syncs for the first time').isChecked(), false);
  assert.equal(await group.getByLabel('A credential is removed').isChecked(), true);
  await group.scrollIntoViewIfNeeded();
  await screenshot(page, 'security-notices-settings');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);
});
