// Browser test of issue #20's domain device rules and remote wipe choice: a domain admin (dana)
// adds a rule to her own domain on Domains & COS that blocks a device type; a phone of that
// type of her domain then gets EAS Status 129 (read by libwbxml's wbxml2xml), one of another
// domain does not, and she sees the device blocked by the rule. A user (carol) wipes only her
// account's data from her 16.1 phone; for her 14.1 phone that choice is disabled.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const DANA = 'dana@example.com';
const CAROL = 'carol@example.com';
const OLGA = 'olga@other.org';
let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['domain', 'create', 'other.org'],
      ['account', 'create', DANA, '--role', 'domain_admin', '--password', PASSWORD],
      ['account', 'create', CAROL, '--password', PASSWORD],
      ['account', 'create', OLGA, '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** One EAS FolderSync as a phone sends it; the answer decoded by wbxml2xml (libwbxml). */
async function folderSync(email, deviceId, deviceType, version) {
  const q = new URLSearchParams({ Cmd: 'FolderSync', User: email, DeviceId: deviceId, DeviceType: deviceType });
  const r = await fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync?${q}`, {
    method: 'POST',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${email}:${PASSWORD}`).toString('base64'),
      'MS-ASProtocolVersion': version,
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    },
  });
  assert.equal(r.status, 200, `${email}'s ${deviceType}: HTTP ${r.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  writeFileSync(join(dir, 'r.wbxml'), Buffer.from(await r.arrayBuffer()));
  execFileSync('wbxml2xml', ['-l', 'ACTIVESYNC', '-m', '0', '-o', join(dir, 'r.xml'), join(dir, 'r.wbxml')]);
  return execFileSync('cat', [join(dir, 'r.xml')]).toString();
}

async function closeNotifications(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.waitForTimeout(400);
}

test('a domain admin blocks a device type in her own domain', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logInAs(page, server.baseUrl, DANA, PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  const domains = page.getByTestId('domains');
  await domains.getByTestId('org-row').first().waitFor();
  assert.equal(await domains.getByTestId('org-row').count(), 1, 'dana sees her own domain only');
  await domains.getByRole('button', { name: 'Device rules, example.com' }).click();
  const dialog = page.getByRole('dialog', { name: 'Device access rules of example.com' });
  await dialog.getByTestId('device-rules-empty').waitFor();
  await dialog.getByLabel('Pattern').fill('SM-*');
  await dialog.getByLabel('Then the device is', { exact: true }).first().click();
  await page.getByRole('option', { name: 'Blocked' }).click();
  await dialog.getByRole('button', { name: 'ADD RULE' }).click();
  await dialog.getByTestId('device-rule').getByText('SM-*').waitFor();
  assert.match(await dialog.getByTestId('device-rule').first().innerText(), /1\.\s+Device type\s+SM-\*\s+Blocked/i);
  await closeNotifications(page);
  await screenshot(page, 'domainrules-dialog');
  assert.deepEqual(await unnamedControls(page), []);

  // The rule is example.com's: the global list stays empty; other.org is not dana's to change.
  const api = await page.evaluate(async () => ({
    mine: await (await fetch('/api/v1/admin/device-rules?domain=example.com')).json(),
    global: await (await fetch('/api/v1/admin/device-rules')).json(),
    other: (await fetch('/api/v1/admin/device-rules?domain=other.org')).status,
  }));
  assert.equal(api.mine.items.length, 1);
  assert.equal(api.mine.items[0].action, 'blocked');
  assert.equal(api.global.items.length, 0);
  assert.ok([403, 404].includes(api.other), `other.org's rules for dana: ${api.other}`);

  // carol's Samsung is blocked (common status 129); olga's, in other.org, only needs provisioning.
  assert.match(await folderSync(CAROL, 'carolsamsung', 'SM-G991B', '16.1'), /<Status>129<\/Status>/);
  assert.match(await folderSync(OLGA, 'olgasamsung', 'SM-G991B', '16.1'), /<Status>142<\/Status>/);

  await page.keyboard.press('Escape');
  await page.goto(`${server.baseUrl}/admin/accounts/${CAROL}`);
  const row = page.locator('[data-testid=admin-device][data-id=carolsamsung]');
  await row.getByTestId('device-access-state').getByText('Blocked').waitFor();
  const devs = await page.evaluate(async (email) => (await fetch(`/api/v1/admin/accounts/${email}/devices`)).json(), CAROL);
  assert.equal(devs.items[0].access, 'blocked');
  assert.equal(devs.items[0].accessBy, 'rule');
  await screenshot(page, 'domainrules-blocked-device');
  // The one console error is the browser's note on the refused other.org lookup above.
  assert.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
});

test('a user wipes only her account from her 16.1 phone', async () => {
  await folderSync(CAROL, 'caroliphone', 'iPhone', '16.1');
  await folderSync(CAROL, 'carololdphone', 'Android', '14.1');
  const { page, problems } = await newPage(browser, { width: 1280, height: 1000 });
  await logInAs(page, server.baseUrl, CAROL, PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Exchange ActiveSync' }).click();
  const card = page.getByTestId('devices-card');

  // The 14.1 phone cannot remove one account only: that choice is disabled, with the reason.
  await card.getByRole('button', { name: 'Wipe Android' }).click();
  let dialog = page.getByRole('dialog', { name: 'Wipe Android?' });
  assert.equal(await dialog.getByRole('radio', { name: "Remove this account's data from the phone" }).isDisabled(), true);
  assert.equal(await dialog.getByRole('radio', { name: 'Wipe the whole phone' }).isChecked(), true);
  await dialog.getByText(/needs 16\.1/).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });

  await card.getByRole('button', { name: 'Wipe iPhone' }).click();
  dialog = page.getByRole('dialog', { name: 'Wipe iPhone?' });
  assert.equal(await dialog.getByRole('radio', { name: "Remove this account's data from the phone" }).isChecked(), true);
  await page.waitForTimeout(400); // the modal's fade-in
  await screenshot(page, 'wipe-user-dialog');
  const asked = page.waitForResponse((r) => r.url().includes('/me/devices/caroliphone/wipe'));
  await dialog.getByRole('button', { name: 'REQUEST WIPE' }).click();
  assert.equal((await asked).status(), 204);
  await dialog.waitFor({ state: 'detached' });
  const entry = card.locator('[data-testid=device][data-id=caroliphone]');
  await entry.getByTestId('device-wipe-state').getByText('Account removal requested').waitFor();
  await entry.getByTestId('device-wipe-detail').getByText(/^Requested .+, waiting for the phone$/).waitFor();
  const mine = await page.evaluate(async () => (await fetch('/api/v1/me/devices')).json());
  const phone = mine.items.find((d) => d.deviceId === 'caroliphone');
  assert.equal(phone.wipeState, 'requested');
  assert.equal(phone.wipeScope, 'account');
  await closeNotifications(page);
  await screenshot(page, 'wipe-user-requested');
  assert.deepEqual(problems, []);
});
