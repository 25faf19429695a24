// Browser test of the limits (issue #7): the global admin sets a class of service's PIN codes per
// OTP entry to 6 in Domains & COS, and a user of that class creating an OTP entry is shown 6 PIN
// codes; the Global settings page shows and checks the EAS, device and session settings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['cos', 'create', 'staff'],
      ['account', 'create', 'carol@example.com', '--password', PASSWORD, '--cos', 'staff'],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const login = (page, email, password) => logInAs(page, server.baseUrl, email, password);

async function apiGet(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

async function closeNotifications(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
}

test('a COS with 6 PIN codes per entry gives its users 6 PIN codes', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  const staff = page.getByTestId('cos').locator('[data-testid=org-row][data-name="staff"]');
  await staff.getByText('PIN codes: global · per kind: global').waitFor();

  await page.getByRole('button', { name: 'Edit the limits of staff' }).click();
  const dialog = page.getByRole('dialog', { name: 'Limits of staff' });
  const pins = dialog.getByLabel('PIN codes per OTP entry');
  await pins.waitFor();
  // Empty means inherit, and the placeholder says what that is.
  assert.equal(await pins.getAttribute('placeholder'), 'Global setting (10)');
  // Out of range: the form says so, as the API would, and cannot be saved.
  await pins.fill('3');
  await dialog.getByText('Enter a whole number from 4 to 20, or leave it empty.').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'SAVE' }).isDisabled(), true);
  await pins.fill('6');
  await dialog.getByText('Enter a whole number from 4 to 20, or leave it empty.').waitFor({ state: 'detached' });
  await screenshot(page, 'limits-cos-dialog');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/cos/staff') && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: 'SAVE' }).click();
  assert.equal((await saved).status(), 200);
  await dialog.waitFor({ state: 'detached' });
  await staff.getByText('PIN codes: 6 · per kind: global').waitFor();
  const cos = await apiGet(page, '/api/v1/admin/cos/staff');
  assert.equal(cos.pinCodesPerEntry, 6);
  assert.equal(cos.maxCredentialsPerKind, null);
  await closeNotifications(page);
  await screenshot(page, 'limits-orgs');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);

  // carol (staff) creates an OTP entry and is shown 6 PIN codes.
  const carol = await newPage(browser, { width: 1280, height: 900 });
  await login(carol.page, 'carol@example.com', PASSWORD);
  await carol.page.getByRole('navigation').getByRole('link', { name: 'OTP Authentication' }).click();
  await carol.page.waitForURL('**/settings/otp');
  await carol.page.getByRole('button', { name: 'NEW OTP' }).click();
  const otp = carol.page.getByRole('dialog', { name: 'New OTP' });
  await otp.getByLabel('OTP label').fill('Phone');
  const created = carol.page.waitForResponse((r) => r.url().endsWith('/api/v1/credentials') && r.request().method() === 'POST');
  await otp.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
  const body = await (await created).json();
  assert.equal(body.secret.pinCodes.length, 6);
  const shown = otp.getByTestId('otp-secret');
  await shown.waitFor();
  const secret = (await shown.textContent()).replace(/\s+/g, '');
  await otp.getByLabel('Enter the 6-digit code your app shows').fill(totp(secret, timeStep()));
  await otp.getByRole('button', { name: 'NEXT', exact: true }).click();
  await otp.getByRole('heading', { name: 'Your PIN codes' }).waitFor();
  const codes = (await otp.getByTestId('pin-code').allTextContents()).map((t) => t.replace(/\s+/g, ''));
  assert.deepEqual(codes, body.secret.pinCodes);
  assert.equal(codes.length, 6);
  await screenshot(carol.page, 'limits-six-pin-codes');
  assert.deepEqual(carol.problems, []);
});

test('the Global settings page shows and checks the limits, heartbeat and session settings', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await login(page, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Global settings' }).click();
  await page.waitForURL('**/admin/settings');
  const min = page.getByLabel('Shortest heartbeat, in seconds');
  const max = page.getByLabel('Longest heartbeat, in seconds');
  await min.waitFor();
  assert.equal(await min.inputValue(), '60');
  assert.equal(await max.inputValue(), '3540');
  assert.equal(await page.getByLabel('PIN codes per OTP entry').inputValue(), '10');
  assert.equal(await page.getByLabel('Phones per account').inputValue(), '20');
  assert.equal(await page.getByLabel('Session lifetime, in minutes').inputValue(), '720');

  // The bounds the wrong way round: said at the field, nothing can be saved.
  const save = page.getByRole('button', { name: 'SAVE' });
  await min.fill('600');
  await max.fill('300');
  await page.getByText('The shortest heartbeat cannot be longer than the longest.').waitFor();
  assert.equal(await save.isDisabled(), true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'limits-settings-error');
  await max.fill('900');
  await page.getByLabel('Phones per account').fill('3');
  await page.getByLabel('Session lifetime, in minutes').fill('60');
  await page.getByLabel('PIN codes per OTP entry').fill('12');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/settings') && r.request().method() === 'PATCH');
  await save.click();
  assert.equal((await saved).status(), 200);
  await page.getByText('The settings were saved.').waitFor();
  const settings = await apiGet(page, '/api/v1/admin/settings');
  assert.equal(settings.easHeartbeatMinSeconds, 600);
  assert.equal(settings.easHeartbeatMaxSeconds, 900);
  assert.equal(settings.easMaxDevicesPerAccount, 3);
  assert.equal(settings.sessionLifetimeMinutes, 60);
  assert.equal(settings.pinCodesPerEntry, 12);
  await closeNotifications(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'limits-settings');
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);
});
