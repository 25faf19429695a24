// Browser test of "what to type into a mail app" (issue 15, seed 002): with the mail doors on,
// the Application passcodes page and the dialog of a new passcode show every door's server,
// port and security, the username, and the self-signed certificate's SHA-256 fingerprint, the
// same as the certificate file the doors serve. The last test logs in over IMAPS with Python's
// imaplib, checking that fingerprint; it skips while the binary has no IMAP door yet.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, freePort, startTessera } from './server.mjs';

let server;
let browser;
const ports = {};
let shown; // what the dialog showed: passcode and fingerprint

before(async () => {
  for (const door of ['IMAP', 'IMAPS', 'POP3', 'POP3S', 'SUBMISSION', 'SUBMISSIONS']) ports[door] = await freePort();
  const env = {};
  for (const [door, port] of Object.entries(ports)) env[`TESSERA_${door}_LISTEN`] = `127.0.0.1:${port}`;
  server = await startTessera({ env });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The fingerprint of the certificate file the doors serve, as the page must show it. */
function certificateFingerprint() {
  return new X509Certificate(readFileSync(join(server.dataDir, 'tls-cert.pem'))).fingerprint256;
}

/** The rows of a settings table as "protocol | server | port | security". */
async function rows(scope) {
  const out = [];
  for (const row of await scope.getByTestId('mail-server').all()) {
    const cells = await row.locator('th, td').allInnerTexts();
    out.push(cells.map((c) => c.trim()).join(' | '));
  }
  return out;
}

const expectedRows = () => [
  `IMAP (incoming) | 127.0.0.1 | ${ports.IMAPS} | SSL/TLS`,
  `IMAP (incoming) | 127.0.0.1 | ${ports.IMAP} | STARTTLS`,
  `POP3 (incoming) | 127.0.0.1 | ${ports.POP3S} | SSL/TLS`,
  `POP3 (incoming) | 127.0.0.1 | ${ports.POP3} | STARTTLS`,
  `SMTP (outgoing) | 127.0.0.1 | ${ports.SUBMISSIONS} | SSL/TLS`,
  `SMTP (outgoing) | 127.0.0.1 | ${ports.SUBMISSION} | STARTTLS`,
];

test('the Application passcodes page and a new passcode show the mail app settings and the fingerprint', async () => {
  const { page, context, problems } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Application passcodes' }).click();
  await page.waitForURL('**/settings/app-passcodes');
  const fingerprint = certificateFingerprint();

  // The panel on the page.
  const panel = page.getByRole('region', { name: 'Mail app settings' });
  await panel.getByTestId('mail-settings').waitFor();
  assert.deepEqual(await rows(panel), expectedRows());
  assert.equal(await panel.getByTestId('mail-username').innerText(), BOOTSTRAP_EMAIL);
  assert.equal(await panel.getByTestId('mail-fingerprint-value').innerText(), fingerprint);
  assert.match(await panel.getByTestId('mail-fingerprint').innerText(), /check that your mail app shows the same fingerprint/);
  assert.ok(await panel.getByRole('table', { name: 'Servers for a mail app' }).isVisible());
  await screenshot(page, 'app-passcodes-mail-settings');

  // A new passcode: the dialog shows it once, with the settings below.
  await page.getByRole('button', { name: 'NEW PASSCODE' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Passcode description').fill('Thunderbird');
  await dialog.getByRole('button', { name: 'CREATE PASSCODE', exact: true }).click();
  const passcode = (await dialog.getByTestId('new-secret').innerText()).replace(/\s+/g, '');
  const inDialog = dialog.getByRole('region', { name: 'What to type into your mail app' });
  await inDialog.getByTestId('mail-settings').waitFor();
  assert.deepEqual(await rows(inDialog), expectedRows());
  assert.equal(await inDialog.getByTestId('mail-fingerprint-value').innerText(), fingerprint);
  assert.deepEqual(await unnamedControls(page), []);
  await screenshot(page, 'app-passcodes-created-mail-settings');
  await inDialog.getByTestId('mail-fingerprint').scrollIntoViewIfNeeded();
  await screenshot(page, 'app-passcodes-created-fingerprint');

  await inDialog.getByRole('button', { name: 'COPY SETTINGS' }).click();
  await inDialog.getByTestId('copy-settings-status').getByText('Copied').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, new RegExp(`^Username: ${BOOTSTRAP_EMAIL}$`, 'm'));
  assert.match(copied, new RegExp(`^IMAP \\(incoming\\): server 127\\.0\\.0\\.1, port ${ports.IMAPS}, SSL/TLS$`, 'm'));
  assert.match(copied, new RegExp(`^SMTP \\(outgoing\\): server 127\\.0\\.0\\.1, port ${ports.SUBMISSION}, STARTTLS$`, 'm'));
  assert.ok(copied.includes(`Certificate SHA-256 fingerprint: ${fingerprint}`), copied);
  assert.ok(!copied.includes(passcode), 'the settings text holds the passcode');

  await dialog.getByRole('button', { name: 'DONE' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(problems, []);
  shown = { passcode, fingerprint };
});

test('at phone width the settings panel fits and keeps its table', async () => {
  const { page, problems } = await newPage(browser, { width: 390, height: 844 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'Open the settings menu' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Application passcodes' }).click();
  await page.waitForURL('**/settings/app-passcodes');
  const panel = page.getByRole('region', { name: 'Mail app settings' });
  await panel.getByTestId('mail-settings').waitFor();
  assert.equal((await rows(panel)).length, 6);
  // Nothing wider than the screen: the page never scrolls sideways.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await screenshot(page, 'phone-app-passcodes-mail-settings');
  assert.deepEqual(problems, []);
});

/** Whether something accepts connections on the port. */
function listening(port) {
  return new Promise((ok) => {
    const sock = connect({ host: '127.0.0.1', port }, () => {
      sock.destroy();
      ok(true);
    });
    sock.on('error', () => ok(false));
  });
}

// Seed 002 end to end: the passcode the page showed logs in over IMAPS, and the certificate the
// door presents is the one whose fingerprint the page showed.
test('the passcode logs in over IMAPS with imaplib, checking the fingerprint the page showed', async (t) => {
  assert.ok(shown, 'the settings test did not run');
  if (!(await listening(ports.IMAPS))) {
    t.skip('this binary has no IMAP door yet');
    return;
  }
  const script = `
import hashlib, imaplib, ssl, sys
port, user, password, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is the check
m = imaplib.IMAP4_SSL('127.0.0.1', int(port), ssl_context=ctx)
der = m.sock.getpeercert(binary_form=True)
got = ':'.join('%02X' % b for b in hashlib.sha256(der).digest())
if got != want:
    sys.exit('fingerprint %s, the page showed %s' % (got, want))
m.login(user, password)
typ, data = m.select('INBOX')
print(typ, data[0].decode())
m.logout()
`;
  const out = execFileSync('python3', ['-c', script, String(ports.IMAPS), BOOTSTRAP_EMAIL, shown.passcode, shown.fingerprint], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.match(out, /^OK \d+/);
});
