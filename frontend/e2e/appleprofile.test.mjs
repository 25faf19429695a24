// Browser test of "Install on an Apple device" (issue 18): a new application passcode's dialog
// offers the one-time configuration profile; the download holds the passcode in a Mail payload
// with the doors that are on (checked with Python's plistlib, not Tessera's code), the QR code
// decodes (zbarimg) to the one-time URL, and that URL is refused once the profile was taken.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, freePort, startTessera } from './server.mjs';

let server;
let browser;
const ports = {};
const checker = join(dirname(fileURLToPath(import.meta.url)), '../../backend/internal/httpapi/testdata/check_mobileconfig.py');

before(async () => {
  for (const door of ['IMAPS', 'SUBMISSIONS']) ports[door] = await freePort();
  const env = {};
  for (const [door, port] of Object.entries(ports)) env[`TESSERA_${door}_LISTEN`] = `127.0.0.1:${port}`;
  server = await startTessera({ env });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function hasTool(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a new passcode offers its Apple profile: downloaded once, with the passcode and the doors', async () => {
  const { page, problems } = await newPage(browser);
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Application passcodes' }).click();
  await page.waitForURL('**/settings/app-passcodes');
  await page.getByRole('button', { name: 'NEW PASSCODE' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Passcode description').fill('iPhone Mail');
  await dialog.getByRole('button', { name: 'CREATE PASSCODE', exact: true }).click();
  const passcode = (await dialog.getByTestId('new-secret').innerText()).replace(/\s+/g, '');

  const open = dialog.getByRole('button', { name: 'Install on an Apple device' });
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  assert.equal(await dialog.getByTestId('apple-profile').isVisible(), false);
  await open.click();
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  const region = dialog.getByRole('region', { name: 'Install on an iPhone, iPad or Mac' });
  await region.waitFor();
  const qr = region.getByRole('img', { name: /one-time link to the configuration profile for “iPhone Mail”/ });
  await qr.waitFor();
  assert.match(await region.innerText(), /The link works once, until \d/);
  assert.deepEqual(await unnamedControls(page), []);
  await region.scrollIntoViewIfNeeded();
  await screenshot(page, 'apple-profile-dialog');

  // The QR code is the one-time URL (zbarimg, a decoder nobody here wrote).
  let url = null;
  if (hasTool('zbarimg')) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-qr-'));
    const src = await qr.getAttribute('src');
    writeFileSync(join(dir, 'qr.png'), Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
    url = execFileSync('zbarimg', ['-q', '--raw', join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
    // The public URL (TESSERA_PUBLIC_URL, not set here: its default) with the one-time path.
    assert.match(url, /^http:\/\/127\.0\.0\.1:8080\/api\/v1\/apple-profiles\/[A-Za-z0-9_-]{43}$/);
    url = server.baseUrl + new URL(url).pathname;
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    region.getByRole('button', { name: 'DOWNLOAD PROFILE' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'tessera.mobileconfig');
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-profile-')), 'tessera.mobileconfig');
  await download.saveAs(file);
  const parsed = execFileSync('python3', [checker, file], { encoding: 'utf8' });
  assert.ok(
    parsed.includes(
      `com.apple.mail.managed EmailAccountType=EmailTypeIMAP EmailAddress=${BOOTSTRAP_EMAIL} IncomingMailServerHostName=127.0.0.1 IncomingMailServerPortNumber=${ports.IMAPS} IncomingMailServerUseSSL=True IncomingMailServerUsername=${BOOTSTRAP_EMAIL} IncomingPassword=${passcode} OutgoingMailServerHostName=127.0.0.1 OutgoingMailServerPortNumber=${ports.SUBMISSIONS} OutgoingMailServerUseSSL=True OutgoingPassword=${passcode}`,
    ),
    parsed,
  );
  assert.match(parsed, /^com\.apple\.caldav\.account .*CalDAVPrincipalURL=http:\/\/127\.0\.0\.1:\d+\/dav\//m);
  assert.match(parsed, /^com\.apple\.carddav\.account /m);
  await region.getByTestId('apple-profile-status').getByText(/^Downloaded\./).waitFor();
  assert.equal(await region.getByRole('button', { name: 'DOWNLOAD PROFILE' }).isDisabled(), true);
  assert.equal(await qr.count(), 0, 'the QR code of a used link stays on screen');
  assert.doesNotMatch(await region.innerText(), /The link works once/);
  await screenshot(page, 'apple-profile-downloaded');

  // Taken: the one-time URL answers 404 with the JSON error.
  if (url) {
    const again = await page.request.get(url);
    assert.equal(again.status(), 404);
    assert.equal((await again.json()).error.code, 'profile_gone');
  }
  assert.deepEqual(problems, []);
});

test('at phone width the offer fits the dialog', async () => {
  const { page, problems } = await newPage(browser, { width: 390, height: 844 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.goto(`${server.baseUrl}/settings/eas`);
  await page.getByRole('button', { name: 'NEW AUTHENTICATION' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Authentication description').fill('iPad');
  await dialog.getByRole('button', { name: 'CREATE PASSWORD', exact: true }).click();
  await dialog.getByRole('button', { name: 'Install on an Apple device' }).click();
  const region = dialog.getByRole('region', { name: 'Install on an iPhone, iPad or Mac' });
  await region.getByRole('img').waitFor();
  await region.scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await screenshot(page, 'phone-apple-profile-dialog');
  assert.deepEqual(problems, []);
});
