// Browser test of issue 19's scoped, expiring passcodes and renewable PIN codes against the real
// server: a passcode made for CalDAV/CardDAV only, expiring in 30 days, opens DAV and not EAS; the
// list shows its doors, its expiry, and its last use with the address; NEW PIN CODES on an OTP
// entry replaces its codes (the old ones stop) through a confirmation and the PIN-code step.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

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

const basic = (secret) => `Basic ${Buffer.from(`${BOOTSTRAP_EMAIL}:${secret}`).toString('base64')}`;
const propfind = (secret) =>
  fetch(`${server.baseUrl}/dav/calendars/${BOOTSTRAP_EMAIL}/`, { method: 'PROPFIND', headers: { Authorization: basic(secret), Depth: '0' } });
const easOptions = (secret) => fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync`, { method: 'OPTIONS', headers: { Authorization: basic(secret) } });

async function openSection(page, name, path) {
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await page.waitForURL(`**${path}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

test('a passcode scoped to CalDAV/CardDAV, expiring in 30 days', async () => {
  const { page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await openSection(page, 'Application passcodes', '/settings/app-passcodes');
  await page.getByRole('button', { name: 'NEW PASSCODE', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New application passcode' });
  await dialog.waitFor();

  // The defaults: every desktop door ticked, EAS not, never expires.
  for (const door of ['IMAP (reading mail)', 'POP3 (downloading mail)', 'SMTP (sending mail)', 'CalDAV / CardDAV (calendars and contacts)']) {
    assert.equal(await dialog.getByLabel(door).isChecked(), true, door);
  }
  assert.equal(await dialog.getByLabel('Exchange ActiveSync (phones)').isChecked(), false);
  assert.equal(await dialog.getByLabel('Expires').inputValue(), '0');

  // Nothing ticked is refused before anything is sent.
  await dialog.getByLabel('Passcode description').fill('Calendar on the laptop');
  for (const door of ['IMAP (reading mail)', 'POP3 (downloading mail)', 'SMTP (sending mail)', 'CalDAV / CardDAV (calendars and contacts)']) {
    await dialog.getByLabel(door).uncheck();
  }
  await dialog.getByRole('button', { name: 'CREATE PASSCODE', exact: true }).click();
  await dialog.getByText('Tick at least one.').waitFor();

  await dialog.getByLabel('CalDAV / CardDAV (calendars and contacts)').check();
  await dialog.getByLabel('Expires').selectOption('30');
  await page.waitForTimeout(300);
  await screenshot(page, 'app-passcode-scope-dialog');
  assert.deepEqual(await unnamedControls(page), []);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/credentials') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'CREATE PASSCODE', exact: true }).click();
  const response = await answer;
  assert.equal(response.status(), 201);
  assert.deepEqual(response.request().postDataJSON(), {
    kind: 'app_passcode', label: 'Calendar on the laptop', services: ['caldav', 'carddav'], expiresInDays: 30,
    appleProfile: true, // a profile can only be made with the secret, so the SPA always asks for one
  });
  const { credential, secret } = await response.json();
  assert.deepEqual(credential.services, ['caldav', 'carddav']);
  const days = (new Date(credential.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);

  // It opens DAV, and nothing else.
  assert.equal((await propfind(secret.password)).status, 207);
  assert.equal((await easOptions(secret.password)).status, 401);

  await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.reload();
  const entry = page.getByRole('list', { name: 'Active passcodes' }).getByRole('listitem').filter({ hasText: 'Calendar on the laptop' });
  await entry.waitFor();
  await entry.getByText('CalDAV', { exact: true }).waitFor();
  await entry.getByText('CardDAV', { exact: true }).waitFor();
  assert.equal(await entry.getByText('IMAP', { exact: true }).count(), 0);
  const dates = await entry.getByTestId('credential-dates').textContent();
  assert.match(dates, /last used .+ from 127\.0\.0\.1/);
  assert.match(dates, /expires /);
  await page.waitForTimeout(300);
  await screenshot(page, 'app-passcodes-scoped-list');
  assert.deepEqual(problems, []);
});

test('NEW PIN CODES replaces the unused codes of an OTP entry', async () => {
  const { page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await openSection(page, 'OTP Authentication', '/settings/otp');
  await page.getByRole('button', { name: 'NEW OTP' }).click();
  const dialog = page.getByRole('dialog', { name: 'New OTP' });
  await dialog.getByLabel('OTP label').fill('Phone');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/credentials') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
  const body = await (await created).json();
  await dialog.getByLabel('Enter the 6-digit code your app shows').fill(totp(body.secret.secret, timeStep()));
  await dialog.getByRole('button', { name: 'NEXT', exact: true }).click();
  await dialog.getByRole('heading', { name: 'Your PIN codes' }).waitFor();
  await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  const entry = page.getByTestId('otp-entry').filter({ hasText: 'Phone' });
  await entry.getByTestId('otp-pins-left').getByText('10').waitFor();
  await entry.getByRole('button', { name: 'New PIN codes for Phone' }).click();
  const ask = page.getByRole('dialog', { name: 'New PIN codes for “Phone”' });
  await ask.getByText(/^The 10 unused PIN codes of this entry will stop working at once/).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-renew-confirm');
  const renewed = page.waitForResponse((r) => /\/api\/v1\/credentials\/\d+\/pin-codes$/.test(r.url()));
  await ask.getByRole('button', { name: 'MAKE NEW CODES', exact: true }).click();
  const fresh = (await (await renewed).json()).secret.pinCodes;
  assert.equal(fresh.length, 10);
  const sheet = page.getByRole('dialog', { name: 'New PIN codes for “Phone”' });
  await sheet.getByText('“Phone” has new PIN codes: the old ones no longer work.').waitFor();
  const shown = (await sheet.getByTestId('pin-code').allTextContents()).map((c) => c.replace(/\W/g, ''));
  assert.deepEqual(shown, fresh);
  assert.equal(fresh.filter((c) => body.secret.pinCodes.includes(c)).length, 0);

  // PRINT PIN CODES: the same sheet as at enrolment, with the new codes and none of the old.
  const downloading = page.waitForEvent('download');
  await sheet.getByRole('button', { name: 'PRINT PIN CODES', exact: true }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), 'tessera-pin-codes.pdf');
  const pdf = join(mkdtempSync(join(tmpdir(), 'tessera-renew-')), 'sheet.pdf');
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/[\s-]/g, '');
  for (const code of fresh) assert.ok(text.includes(code), `the sheet lacks the new code ${code}`);
  for (const code of body.secret.pinCodes) assert.ok(!text.includes(code), `the sheet shows the old code ${code}`);
  await sheet.getByTestId('print-status').getByText(/was downloaded/).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-renew-pins');
  await sheet.getByRole('button', { name: 'DONE', exact: true }).click();
  await sheet.waitFor({ state: 'detached' });
  await entry.getByTestId('otp-pins-left').getByText('10').waitFor();
  assert.deepEqual(problems, []);
});
