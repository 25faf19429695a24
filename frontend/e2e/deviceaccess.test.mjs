// Browser test of device access control (issue #20): with new devices quarantined, two phones
// connect; their user sees "Waiting for approval"; the admin sees the count in the navigation,
// approves one and blocks the other in one click each, and adds a rule on the settings page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['account', 'create', 'carol@example.com', '--password', PASSWORD],
      ['account', 'create', 'dave@example.com', '--password', PASSWORD],
      ['config', 'set', 'deviceAccess', 'quarantined'],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A phone's first contact: the server records the device (held in quarantine) and sends it to Provision. */
async function phoneConnects(email, deviceId, userAgent) {
  const q = new URLSearchParams({ Cmd: 'FolderSync', User: email, DeviceId: deviceId, DeviceType: 'iPhone' });
  const r = await fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync?${q}`, {
    method: 'POST',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${email}:${PASSWORD}`).toString('base64'),
      'MS-ASProtocolVersion': '16.1',
      'User-Agent': userAgent,
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    },
  });
  assert.equal(r.status, 200, `${email}'s phone: HTTP ${r.status}`); // Status 142 in the body: provision first
}

async function closeNotifications(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
}

test('the admin approves and blocks quarantined devices in one click', async () => {
  await phoneConnects('carol@example.com', 'carolphone', 'Apple-iPhone15C3/2104.220');
  await phoneConnects('dave@example.com', 'davephone', 'Apple-iPhone14C2/2104.220');

  // carol sees her phone waiting.
  const carol = await newPage(browser);
  await logInAs(carol.page, server.baseUrl, 'carol@example.com', PASSWORD);
  await carol.page.getByRole('navigation').getByRole('link', { name: 'Exchange ActiveSync' }).click();
  const mine = carol.page.getByTestId('device');
  await mine.getByTestId('device-access').getByText('Waiting for approval').waitFor();
  await screenshot(carol.page, 'deviceaccess-user-waiting');
  assert.deepEqual(carol.problems, []);

  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  const nav = page.getByTestId('admin-nav');
  await nav.getByTestId('quarantine-count').getByText('2').waitFor();
  await nav.getByRole('link', { name: /Devices awaiting approval/ }).click();
  await page.waitForURL('**/admin/devices');
  const held = page.getByTestId('held-device');
  await held.nth(1).waitFor();
  assert.equal(await held.count(), 2);
  await held.first().getByText('carol@example.com').waitFor();
  await held.first().getByText('Apple-iPhone15C3/2104.220').waitFor();
  await screenshot(page, 'deviceaccess-quarantine');
  assert.deepEqual(await unnamedControls(page), []);

  const approved = page.waitForResponse((r) => r.url().includes('/devices/carolphone/allow'));
  await page.getByRole('button', { name: 'Approve iPhone of carol@example.com' }).click();
  assert.equal((await approved).status(), 200);
  await page.getByText('iPhone was approved: it syncs now.').waitFor();
  await held.first().getByText('dave@example.com').waitFor();
  assert.equal(await held.count(), 1);
  await nav.getByTestId('quarantine-count').getByText('1').waitFor();

  const blocked = page.waitForResponse((r) => r.url().includes('/devices/davephone/block'));
  await page.getByRole('button', { name: 'Block iPhone of dave@example.com' }).click();
  assert.equal((await blocked).status(), 200);
  await page.getByTestId('quarantine-empty').waitFor();
  await nav.getByTestId('quarantine-count').waitFor({ state: 'detached' });

  const devs = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts/carol@example.com/devices')).json());
  assert.equal(devs.items[0].access, 'allowed');
  assert.equal(devs.items[0].accessBy, 'admin');
  const daves = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts/dave@example.com/devices')).json());
  assert.equal(daves.items[0].access, 'blocked');
  await closeNotifications(page);
  await screenshot(page, 'deviceaccess-quarantine-empty');

  // On carol's account page: suspend and resume her (approved) phone.
  await page.goto(`${server.baseUrl}/admin/accounts/carol@example.com`);
  const row = page.getByTestId('admin-device');
  await row.getByTestId('device-access-state').getByText('Allowed').waitFor();
  await page.getByRole('button', { name: 'Suspend the sync of iPhone' }).click();
  await row.getByText('Suspended', { exact: true }).waitFor();
  let carolDevs = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts/carol@example.com/devices')).json());
  assert.equal(carolDevs.items[0].suspended, true);
  await closeNotifications(page);
  await screenshot(page, 'deviceaccess-account-suspended');
  await page.getByRole('button', { name: 'Resume the sync of iPhone' }).click();
  await row.getByText('Suspended', { exact: true }).waitFor({ state: 'detached' });
  carolDevs = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts/carol@example.com/devices')).json());
  assert.equal(carolDevs.items[0].suspended, false);
  await closeNotifications(page);

  // The rules editor on the settings page: an ordered list.
  await nav.getByRole('link', { name: 'Global settings' }).click();
  const rules = page.getByTestId('device-rules');
  await rules.getByTestId('device-rules-empty').waitFor();
  await rules.getByLabel('Pattern').fill('SM-*');
  await rules.getByRole('button', { name: 'ADD RULE' }).click();
  await rules.getByTestId('device-rule').getByText('SM-*').waitFor();
  await rules.getByLabel('Pattern').fill('iPhone*');
  await rules.getByLabel('Position').fill('1');
  await rules.getByRole('button', { name: 'ADD RULE' }).click();
  await rules.getByTestId('device-rule').nth(1).waitFor();
  assert.match(await rules.getByTestId('device-rule').first().innerText(), /1\.\s+Device type\s+iPhone\*/);
  assert.match(await rules.getByTestId('device-rule').nth(1).innerText(), /2\.\s+Device type\s+SM-\*/);
  await closeNotifications(page);
  // A full-page picture of a scrolled page draws the fixed header mid-page: back to the top first.
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await screenshot(page, 'deviceaccess-rules');
  await rules.screenshot({ path: 'e2e/screenshots/deviceaccess-rules-card.png' });
  assert.deepEqual(await unnamedControls(page), []);
  assert.deepEqual(problems, []);
});
