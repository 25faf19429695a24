// Browser test of OTP authentication against the real server: the devices list, creating and
// confirming an OTP entry (the test computes the TOTP codes itself, like an authenticator app),
// the PIN-code sheet (a real PDF download), the 2FA switch, logging in with a TOTP code and with
// a PIN code, refusing used codes, and the enrolment a 2FA-requiring policy forces at login.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, SCREENSHOTS, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';
import { base32Decode, hotp, timeStep, totp } from './totp.mjs';

const INVALID_CODE = /^That code is not valid\./;
const ALREADY_USED = 'This code was already used. Wait for the next one.';
const WARNING = 'The QR code and the PIN codes cannot be displayed again after you close this window.';
const PIN = /^[A-HJ-NP-Z2-9]{8}$/;

let server;
let browser;
const work = mkdtempSync(join(tmpdir(), 'tessera-otp-e2e-'));

before(async () => {
  server = await startTessera();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Problems other than the HTTP statuses a test provokes on purpose (the browser logs those). */
function unexpected(problems, ...statuses) {
  const expected = new RegExp(`status of (${statuses.join('|')})`);
  return problems.filter((p) => !statuses.length || !expected.test(p));
}

async function passwordStep(page, base = server.baseUrl) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
}

async function logOut(page) {
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).click();
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'LOG IN', exact: true }).waitFor();
}

/** Submits a second factor; resolves to the response of the second-factor call. */
async function secondFactor(page, code) {
  await page.getByTestId('second-factor-code').fill(code);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login/second-factor'));
  await page.getByRole('button', { name: 'VERIFY', exact: true }).click();
  return answer;
}

/** Logged in: back on the settings page (where the user was when they logged out). */
async function loggedIn(page) {
  await page.waitForURL(/\/settings\/[a-z-]+$/);
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).waitFor();
}

async function openOtp(page) {
  await page.getByRole('navigation').getByRole('link', { name: 'OTP Authentication' }).click();
  await page.waitForURL('**/settings/otp');
  await page.getByRole('heading', { name: 'OTP Authentication', level: 1 }).waitFor();
}

/** The text of the elements an element's aria-describedby names. */
async function description(locator) {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') || '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' '),
  );
}

/** The text encoded in a data:image/png URL, read by zbarimg (null when it is not installed). */
function decodeQr(dataUrl) {
  if (!existsSync('/usr/bin/zbarimg')) return null;
  const file = join(work, 'qr.png');
  writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return execFileSync('/usr/bin/zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
}

/**
 * NEW OTP + with `label` up to the QR code; returns the dialog, the create response's body and
 * the base32 key as the page shows it.
 */
async function createEntry(page, label) {
  await page.getByRole('button', { name: 'NEW OTP' }).click();
  const dialog = page.getByRole('dialog', { name: 'New OTP' });
  await dialog.getByLabel('OTP label').fill(label);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/credentials') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
  const response = await answer;
  assert.equal(response.status(), 201);
  const body = await response.json();
  const shown = dialog.getByTestId('otp-secret');
  await shown.waitFor();
  const secret = (await shown.textContent()).replace(/\s+/g, '');
  return { dialog, body, secret };
}

/** Confirms the entry in the open dialog with the code of the current step; returns that step. */
async function confirmEntry(page, dialog, secret) {
  const step = timeStep();
  await dialog.getByLabel('Enter the 6-digit code your app shows').fill(totp(secret, step));
  const answer = page.waitForResponse((r) => /\/api\/v1\/credentials\/\d+\/confirm$/.test(r.url()));
  await dialog.getByRole('button', { name: 'NEXT', exact: true }).click();
  assert.equal((await answer).status(), 200);
  await dialog.getByRole('heading', { name: 'Your PIN codes' }).waitFor();
  return step;
}

test('the TOTP helper follows RFC 6238 and agrees with oathtool', () => {
  // RFC 6238 appendix B, SHA-1: the seed is the ASCII string "12345678901234567890".
  const seed = Buffer.from('12345678901234567890');
  assert.equal(hotp(seed, timeStep(59_000), 8), '94287082');
  assert.equal(hotp(seed, timeStep(1_111_111_109_000), 8), '07081804');
  assert.equal(hotp(seed, timeStep(20_000_000_000_000), 8), '65353130');
  assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), seed);
  // oathtool (RFC 6238 reference tool), for a random-looking key and a fixed time.
  const key = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const at = Date.parse('2024-01-01T00:00:00Z');
  const oath = execFileSync('oathtool', ['--totp', '-b', key, '--now', '2024-01-01 00:00:00 UTC'], { encoding: 'utf8' }).trim();
  assert.equal(totp(key, timeStep(at)), oath);
});

test('Exchange ActiveSync lists the devices that synced, and says so when none has', async () => {
  const { page, context, problems } = await newPage(browser);
  await passwordStep(page);
  await page.waitForURL('**/settings/password');
  await page.getByRole('navigation').getByRole('link', { name: 'Exchange ActiveSync' }).click();
  const devices = page.getByTestId('devices-card');
  await devices.getByRole('heading', { name: 'Devices', level: 2 }).waitFor();
  await devices.getByTestId('devices-empty').getByText('No phone has synced yet.').waitFor();
  await page.waitForTimeout(200);
  await screenshot(page, 'eas-devices-empty');
  assert.deepEqual(await unnamedControls(page), []);

  // A phone syncs with an EAS password: its first request registers the device.
  const csrf = (await context.cookies()).find((c) => c.name === 'tessera_csrf').value;
  const created = await page.request.post(`${server.baseUrl}/api/v1/credentials`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { kind: 'eas', label: 'Test phone' },
  });
  const password = (await created.json()).secret.password;
  const res = await fetch(
    `${server.baseUrl}/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=${encodeURIComponent(BOOTSTRAP_EMAIL)}&DeviceId=E2EPHONE0001&DeviceType=iPhone`,
    {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${BOOTSTRAP_EMAIL}:${password}`).toString('base64')}`,
        'MS-ASProtocolVersion': '16.1',
        'User-Agent': 'Apple-iPhone15C2/2101.1',
        'Content-Type': 'application/vnd.ms-sync.wbxml',
      },
    },
  );
  assert.ok(res.status < 500, `EAS answered ${res.status}`);
  await page.reload();
  const device = page.getByRole('list', { name: 'Devices' }).getByRole('listitem');
  await device.waitFor();
  assert.equal(await device.count(), 1);
  assert.equal(await device.getByTestId('device-name').textContent(), 'iPhone');
  await device.getByText('E2EPHONE0001', { exact: true }).waitFor();
  await device.getByText('16.1', { exact: true }).waitFor();
  await device.getByText(/^Last sync/).waitFor();
  await screenshot(page, 'eas-devices-list');
  assert.deepEqual(problems, []);
});

test('OTP: create, confirm, print the PIN codes, turn 2FA on, log in with TOTP and PIN codes', async () => {
  const { page, context, problems } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  await passwordStep(page);
  await page.waitForURL('**/settings/password');
  await openOtp(page);
  await page.getByTestId('otp-empty').getByText('You have no OTP entries yet.').waitFor();

  // The switch: off, named and described; without an entry it cannot be turned on, and a hint
  // (which the switch names as its description) says what comes first.
  const sw = page.getByRole('switch', { name: 'Two-factor authentication' });
  await sw.waitFor({ state: 'attached' });
  assert.equal(await sw.isChecked(), false);
  await page.getByTestId('two-factor-needs-entry').getByText(/^Add an OTP entry or a passkey first/).waitFor();
  assert.equal(await sw.isDisabled(), true);
  assert.match(await description(sw), /asks for your passkey, a code from your authenticator app/);
  assert.match(await description(sw), /Add an OTP entry or a passkey first: create one with NEW OTP below/);
  assert.equal(await page.getByTestId('two-factor-error').count(), 0);
  await screenshot(page, 'otp-empty-no-otp');
  assert.deepEqual(await unnamedControls(page), []);

  // NEW OTP +: a label, then the QR code, the link and the key.
  const { dialog, body, secret } = await createEntry(page, '  Anna’s phone  ');
  assert.equal(body.credential.kind, 'otp');
  assert.equal(body.credential.status, 'pending');
  assert.equal(body.credential.label, 'Anna’s phone');
  assert.equal(secret, body.secret.secret, 'the key on the page is the one created');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(body.secret.pinCodes.length, 10);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H3', 'focus moves to the QR step');
  await dialog.getByText(WARNING).waitFor();
  const img = dialog.getByRole('img', { name: 'QR code to add “Anna’s phone” to your authenticator app' });
  const src = await img.getAttribute('src');
  assert.equal(src, body.secret.qrCode);
  const box = await img.boundingBox();
  assert.ok(box.width >= 240 && box.height >= 240, `QR shown at ${box.width}x${box.height}`);
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the QR image loads under the CSP');
  const url = new URL(body.secret.otpauthUrl);
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.searchParams.get('secret'), secret);
  assert.match(decodeURIComponent(url.pathname), new RegExp(`${BOOTSTRAP_EMAIL}$`));
  const decoded = decodeQr(src);
  if (decoded !== null) assert.equal(decoded, body.secret.otpauthUrl);
  await dialog.getByRole('button', { name: 'COPY LINK' }).click();
  await dialog.getByTestId('copy-link-status').getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), body.secret.otpauthUrl);
  await page.waitForTimeout(300); // the dialog's entrance transition
  await screenshot(page, 'otp-new-qr');
  assert.deepEqual(await unnamedControls(page), []);

  // Escape does not throw the QR code away: it asks first, and Go back shows the same key again.
  const ask = page.getByRole('dialog', { name: 'Did you copy it?' });
  await page.keyboard.press('Escape');
  await ask.getByText(/^The QR code and the key cannot be shown again/).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Go back', 'Go back is the default');
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-close-scan-ask');
  assert.deepEqual(await unnamedControls(page), []);
  await page.keyboard.press('Escape'); // Escape in the question is Go back
  await ask.waitFor({ state: 'detached' });
  assert.equal((await dialog.getByTestId('otp-secret').textContent()).replace(/\s+/g, ''), secret);

  // A wrong code is refused and the dialog stays; the right one goes on to the PIN codes.
  const valid = new Set([-1, 0, 1].map((d) => totp(secret, timeStep() + d)));
  const wrong = ['000000', '111111', '222222'].find((c) => !valid.has(c));
  await dialog.getByLabel('Enter the 6-digit code your app shows').fill(wrong);
  await dialog.getByRole('button', { name: 'NEXT', exact: true }).click();
  await dialog.getByTestId('confirm-error').getByText(INVALID_CODE).waitFor();
  assert.equal(await dialog.getByLabel('Enter the 6-digit code your app shows').inputValue(), '');
  const confirmedStep = await confirmEntry(page, dialog, secret);
  await dialog.getByText('“Anna’s phone” is set up').waitFor();
  const shownPins = (await dialog.getByTestId('pin-code').allTextContents()).map((t) => t.trim());
  assert.equal(shownPins.length, 10);
  for (const [i, shown] of shownPins.entries()) {
    assert.match(shown, /^[A-HJ-NP-Z2-9]{4} [A-HJ-NP-Z2-9]{4}$/, 'grouped ABCD EFGH');
    assert.equal(shown.replace(' ', ''), body.secret.pinCodes[i]);
  }
  const pins = body.secret.pinCodes;
  for (const p of pins) assert.match(p, PIN);
  await dialog.getByText(WARNING).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-pin-codes');
  assert.deepEqual(await unnamedControls(page), []);

  // × and a click beside the dialog ask too, about the PIN codes now; Go back keeps them.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await ask.getByText(/^The PIN codes cannot be shown again/).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-close-pins-ask');
  await ask.getByRole('button', { name: 'Go back', exact: true }).click();
  await ask.waitFor({ state: 'detached' });
  await page.mouse.click(5, 400); // the overlay, beside the dialog
  await ask.getByText(/^The PIN codes cannot be shown again/).waitFor();
  await ask.getByRole('button', { name: 'Go back', exact: true }).click();
  await ask.waitFor({ state: 'detached' });
  assert.deepEqual((await dialog.getByTestId('pin-code').allTextContents()).map((t) => t.trim()), shownPins);

  // PRINT PIN CODES: a real PDF download with the address and every PIN code.
  await dialog.getByText('A4', { exact: true }).click();
  assert.equal(await dialog.getByRole('radio', { name: 'A4' }).isChecked(), true);
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'PRINT PIN CODES' }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), 'tessera-pin-codes.pdf');
  const pdf = join(work, 'pins-a4.pdf');
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  assert.ok(text.includes(BOOTSTRAP_EMAIL), 'the sheet names the account');
  const flat = text.replace(/[\s-]/g, '');
  for (const p of pins) assert.ok(flat.includes(p), `the sheet holds ${p}`);
  assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /Page size:.*\(A4\)/);
  await dialog.getByTestId('print-status').getByText(/was downloaded/).waitFor();
  for (const f of readdirSync(SCREENSHOTS).filter((f) => f.startsWith('pin-sheet'))) rmSync(join(SCREENSHOTS, f));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(work, 'sheet')]);
  const page1 = readdirSync(work).find((f) => f.startsWith('sheet') && f.endsWith('.png'));
  renameSync(join(work, page1), join(SCREENSHOTS, 'pin-sheet.png'));
  // Letter too.
  await dialog.getByText('Letter', { exact: true }).click();
  const letterDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'PRINT PIN CODES' }).click();
  const letterPdf = join(work, 'pins-letter.pdf');
  await (await letterDownload).saveAs(letterPdf);
  assert.match(execFileSync('pdfinfo', [letterPdf], { encoding: 'utf8' }), /Page size:.*\(letter\)/i);

  // DONE: the entry is listed as enabled, and neither the key nor a PIN code is on the page.
  await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const list = page.getByRole('list', { name: 'OTP entries' });
  const entry = list.getByRole('listitem').filter({ hasText: 'Anna’s phone' });
  await entry.waitFor();
  assert.equal(await entry.getByTestId('otp-status').textContent(), 'Enabled');
  assert.equal(await entry.getByTestId('otp-failed').textContent(), '0 / 10');
  assert.equal(await entry.getByTestId('otp-description').textContent(), body.credential.description);
  assert.ok(body.credential.description.includes(BOOTSTRAP_EMAIL));
  await entry.getByText(/^Created /).waitFor();
  assert.equal(await entry.getByTestId('otp-pins-left').textContent(), '10');
  assert.equal(await entry.getByTestId('otp-last-used').textContent(), 'never');
  // The switch can be turned on now.
  assert.equal(await sw.isDisabled(), false);
  assert.equal(await page.getByTestId('two-factor-needs-entry').count(), 0);
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  assert.deepEqual([secret, ...pins, body.secret.otpauthUrl].filter((x) => html.includes(x)), [], 'the secrets left with the dialog');

  // The same label again is refused; a dialog closed before confirming leaves a pending entry.
  await page.getByRole('button', { name: 'NEW OTP' }).click();
  await dialog.getByLabel('OTP label').fill('ANNA’S PHONE');
  await dialog.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
  await dialog.getByText('You already have an OTP entry with that label.').waitFor();
  await dialog.getByLabel('OTP label').fill('Old tablet');
  await dialog.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
  await dialog.getByTestId('otp-secret').waitFor();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await ask.getByRole('button', { name: 'Close — I saved it', exact: true }).click();
  await ask.waitFor({ state: 'detached' });
  await dialog.waitFor({ state: 'detached' });
  const pending = list.getByRole('listitem').filter({ hasText: 'Old tablet' });
  assert.equal(await pending.getByTestId('otp-status').textContent(), 'Pending');
  await pending.getByText(/discarded an hour after it was created/).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-list');
  assert.deepEqual(await unnamedControls(page), []);

  // Turn 2FA on.
  const turnedOn = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/two-factor') && r.request().method() === 'PUT');
  await sw.focus();
  await page.keyboard.press('Space');
  assert.equal((await turnedOn).status(), 200);
  await page.getByText('Two-factor authentication is on.').waitFor();
  assert.equal(await sw.isChecked(), true);
  await page.getByText(/your account password no longer works in mail apps/).waitFor();

  // Log out, and back in: the password is not enough any more.
  await logOut(page);
  await passwordStep(page);
  await page.getByRole('heading', { name: 'Two-factor authentication', level: 1 }).waitFor();
  await page.getByText(`Enter the code your authenticator app shows for ${BOOTSTRAP_EMAIL}.`).waitFor();
  assert.ok(page.url().endsWith('/login'));
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'second-factor-code');
  assert.equal((await context.cookies()).filter((c) => c.name === 'tessera_session').length, 0, 'no session yet');
  await screenshot(page, 'login-second-factor');
  assert.deepEqual(await unnamedControls(page), []);

  // The code of the step the confirmation used is spent; the next step's is accepted (the server
  // allows one step of skew), so there is no need to wait for the clock.
  if (timeStep() === confirmedStep) {
    assert.equal((await secondFactor(page, totp(secret, confirmedStep))).status(), 401);
    await page.getByTestId('login-error').getByText(ALREADY_USED).waitFor();
  }
  const loginStep = Math.max(confirmedStep + 1, timeStep());
  const loginCode = totp(secret, loginStep);
  assert.equal((await secondFactor(page, loginCode)).status(), 200);
  await loggedIn(page);
  // The entry shows that login as its last use.
  await openOtp(page);
  const lastUsed = await entry.getByTestId('otp-last-used').textContent();
  assert.notEqual(lastUsed, 'never');
  assert.equal(await entry.getByTestId('otp-pins-left').textContent(), '10');

  // A PIN code, typed in lower case with a dash.
  await logOut(page);
  await passwordStep(page);
  await page.getByRole('button', { name: 'Use a PIN code instead' }).click();
  await page.getByLabel('PIN code').waitFor();
  await page.getByText('Enter one of the PIN codes you printed').waitFor();
  await screenshot(page, 'login-pin');
  assert.deepEqual(await unnamedControls(page), []);
  const typed = `${pins[0].slice(0, 4)}-${pins[0].slice(4)}`.toLowerCase();
  assert.equal((await secondFactor(page, typed)).status(), 200);
  await loggedIn(page);
  await openOtp(page);
  assert.equal(await entry.getByTestId('otp-pins-left').textContent(), '9');
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-list-used');

  // The same PIN code again, and the TOTP code already used: both refused.
  await logOut(page);
  await passwordStep(page);
  await page.getByRole('button', { name: 'Use a PIN code instead' }).click();
  assert.equal((await secondFactor(page, pins[0])).status(), 401);
  await page.getByTestId('login-error').getByText(INVALID_CODE).waitFor();
  await screenshot(page, 'login-pin-refused');
  await page.getByRole('button', { name: 'Use a code from your authenticator app instead' }).click();
  await page.getByLabel('Code from your authenticator app').waitFor();
  assert.equal((await secondFactor(page, loginCode)).status(), 401);
  await page.getByTestId('login-error').getByText(ALREADY_USED).waitFor();
  await screenshot(page, 'login-code-already-used');
  // Another PIN code works, and a success resets the failure count.
  await page.getByRole('button', { name: 'Use a PIN code instead' }).click();
  assert.equal((await secondFactor(page, pins[1])).status(), 200);
  await loggedIn(page);
  await openOtp(page);
  assert.equal(await entry.getByTestId('otp-failed').textContent(), '0 / 10');
  assert.equal(await entry.getByTestId('otp-pins-left').textContent(), '8');

  // Deleting the only enabled entry while 2FA is on warns, and the next login must enrol again.
  await entry.getByRole('button', { name: 'Delete Anna’s phone' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Anna’s phone?' });
  await confirm.getByText('Codes from this authenticator app and its PIN codes will no longer log you in.').waitFor();
  await confirm.getByTestId('delete-last-warning').waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'otp-delete-last');
  await confirm.getByRole('button', { name: 'YES', exact: true }).click();
  await confirm.waitFor({ state: 'detached' });
  await page.getByText('“Anna’s phone” was deleted.').waitFor();
  await logOut(page);
  await passwordStep(page);
  await page.waitForURL('**/settings/otp');
  await page
    .getByTestId('enrolment-banner')
    .getByText('Two-factor authentication is on for your account. Set up an authenticator app to continue.')
    .waitFor();

  // 409 (no_otp), 400 (wrong confirmation code), 403 (the enrolment session's probe).
  assert.deepEqual(unexpected(problems, 409, 400, 403), []);
});

test('enrolment: a policy that requires 2FA leads to the OTP set-up before anything else', async () => {
  const required = await startTessera({ setup: [['policy', 'set-2fa', 'global', 'required']] });
  try {
    const { page, problems } = await newPage(browser);
    await passwordStep(page, required.baseUrl);
    await page.waitForURL('**/settings/otp');
    const banner = page.getByTestId('enrolment-banner');
    await banner
      .getByText('Your organisation requires two-factor authentication. Set up an authenticator app to continue.')
      .waitFor();
    const nav = page.getByRole('navigation');
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['OTP Authentication']);
    assert.equal(await page.getByRole('button', { name: 'Log out everywhere' }).count(), 0);
    assert.equal(await page.getByRole('switch').count(), 0);
    await page.getByTestId('otp-empty').waitFor();
    await screenshot(page, 'otp-enrolment');
    assert.deepEqual(await unnamedControls(page), []);

    // Nothing else is reachable, not even by a deep link after a reload.
    await page.goto(`${required.baseUrl}/settings/password`);
    await page.waitForURL('**/settings/otp');
    await banner.waitFor();

    // Enrol: the session becomes a full one as soon as the entry is confirmed.
    const { dialog, body, secret } = await createEntry(page, 'Work phone');
    assert.equal(body.credential.status, 'pending');
    await page.waitForTimeout(300);
    await screenshot(page, 'otp-enrolment-qr');
    await confirmEntry(page, dialog, secret);
    await nav.getByRole('link', { name: 'Change Password' }).waitFor();
    await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await banner.count(), 0);
    await page.getByText('Two-factor authentication is set up. All your settings are available now.').waitFor();

    // The switch is on, locked by the server-wide policy, and says so.
    const sw = page.getByRole('switch', { name: 'Two-factor authentication' });
    await sw.waitFor({ state: 'attached' });
    assert.equal(await sw.isChecked(), true);
    assert.equal(await sw.isDisabled(), true);
    const lock = page.getByTestId('two-factor-lock');
    await lock.getByText('The server-wide policy requires two-factor authentication.').waitFor();
    assert.match(await description(sw), /The server-wide policy requires two-factor authentication\. Only an administrator can change this\./);
    await page.waitForTimeout(300);
    await screenshot(page, 'otp-2fa-locked');
    assert.deepEqual(await unnamedControls(page), []);

    // The full settings work now.
    await nav.getByRole('link', { name: 'Change Password' }).click();
    await page.getByText('Your new password needs').waitFor();
    await nav.getByRole('link', { name: 'Exchange ActiveSync' }).click();
    await page.getByTestId('devices-empty').waitFor();

    // The next login asks for the second factor.
    await logOut(page);
    await passwordStep(page, required.baseUrl);
    await page.getByRole('heading', { name: 'Two-factor authentication', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Use a PIN code instead' }).click();
    assert.equal((await secondFactor(page, body.secret.pinCodes[9])).status(), 200);
    await page.waitForURL('**/settings/eas'); // back where the user logged out

    // A second step whose challenge no longer works (expired, used, or here: tampered with, which
    // the server refuses the same way) goes back to the password step with a message.
    await logOut(page);
    await page.route('**/api/v1/auth/login/second-factor', async (route) => {
      const sent = route.request().postDataJSON();
      await route.continue({ postData: JSON.stringify({ ...sent, challenge: `${sent.challenge}x` }) });
    });
    await passwordStep(page, required.baseUrl);
    await page.getByRole('heading', { name: 'Two-factor authentication', level: 1 }).waitFor();
    assert.equal((await secondFactor(page, totp(secret, timeStep() + 1))).status(), 401);
    await page.getByRole('heading', { name: 'Log in to Tessera', level: 1 }).waitFor();
    await page.getByText('This login has expired. Enter your password again.').waitFor();
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), BOOTSTRAP_EMAIL);
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
    await screenshot(page, 'login-challenge-expired');

    // 403: the probe that finds out whether a session is an enrolment session.
    assert.deepEqual(unexpected(problems, 403), []);
  } finally {
    await required.stop();
  }
});
