// Browser test of "what to type into a mail app" (issue 15, seed 002): with the mail doors on,
// the Application passcodes page and the dialog of a new passcode show every door's server,
// port and security, the username, and the self-signed certificate's SHA-256 fingerprint, the
// same as the certificate file the doors serve. The last test is seed 002 end to end with
// Python's imaplib and smtplib (seed002.py): the passcode the dialog showed reads mail over IMAPS,
// checking the fingerprint the page showed, and sends a reply through submission that arrives.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, freePort, startTessera } from './server.mjs';

let server;
let browser;
const ports = {};
let shown; // what the dialog showed: passcode and fingerprint
// Another local account, the reply's recipient; it reads its Inbox with its password (2FA off).
const BOB = 'bob@example.com';
const BOB_PASSWORD = 'Reads-Mail-7q!x';

before(async () => {
  for (const door of ['IMAP', 'IMAPS', 'POP3', 'POP3S', 'SUBMISSION', 'SUBMISSIONS']) ports[door] = await freePort();
  const env = {};
  for (const [door, port] of Object.entries(ports)) env[`TESSERA_${door}_LISTEN`] = `127.0.0.1:${port}`;
  ports.LMTP = await freePort();
  env.TESSERA_LMTP_LISTEN = `127.0.0.1:${ports.LMTP}`;
  server = await startTessera({
    env,
    setup: [
      // serve creates example.com with the bootstrap admin only later: the CLI needs it now.
      ['domain', 'create', 'example.com'],
      ['account', 'create', BOB, '--password', BOB_PASSWORD],
    ],
  });
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

// Seed 002 end to end: mail delivered by LMTP is read over IMAPS with the passcode the page
// showed, the certificate the door presents being the one whose fingerprint the page showed; a
// reply sent through submission (STARTTLS, the same passcode) arrives in another account's Inbox.
test('the passcode reads mail over IMAPS (checking the fingerprint the page showed) and sends through submission', () => {
  assert.ok(shown, 'the settings test did not run');
  const args = {
    imaps: ports.IMAPS,
    submission: ports.SUBMISSION,
    lmtp: ports.LMTP,
    fingerprint: shown.fingerprint,
    user: BOOTSTRAP_EMAIL,
    passcode: shown.passcode,
    to: BOB,
    toPassword: BOB_PASSWORD,
  };
  const script = join(dirname(fileURLToPath(import.meta.url)), 'seed002.py');
  let out;
  try {
    out = execFileSync('python3', [script, JSON.stringify(args)], { encoding: 'utf8', timeout: 60_000 });
  } catch (err) {
    assert.fail(`seed002.py failed (${err.status}):\n${err.stdout}${err.stderr}\n${server.output()}`);
  }
  const seen = JSON.parse(out);
  const { token } = seen;
  assert.ok(seen.inboxExists >= 1);
  assert.deepEqual(seen.read, { subject: `Welcome ${token}`, body: `Hello from far away, ${token}.` });
  // Without TESSERA_MAIL_PLAINTEXT_LOOPBACK, AUTH is offered only after STARTTLS, even on loopback.
  assert.equal(seen.authBeforeTLS, false);
  assert.deepEqual(seen.arrived, { from: BOOTSTRAP_EMAIL, subject: `Re: Welcome ${token}`, body: `Thanks, ${token}.` });
});
