// Browser test of the credential sections (Exchange ActiveSync, Mobile Apps, Application
// passcodes) against the real server: create, copy, see it in the list, never see the secret
// again, prove it opens its door, delete with confirmation, and the door closes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/;
// Each page's words: the seed's on the EAS page; QR codes and passcodes call themselves so.
const EAS_WORDS = {
  newButton: 'NEW AUTHENTICATION', labelField: 'Authentication description', create: 'CREATE PASSWORD',
  secretLabel: 'New password', copy: 'COPY PASSWORD', list: 'Active passwords',
  warning: 'This password cannot be displayed again after you close this window.',
};
const QR_WORDS = {
  newButton: 'NEW AUTHENTICATION', labelField: 'Authentication description', create: 'CREATE QR CODE',
  list: 'Active QR codes', warning: 'This QR code cannot be displayed again after you close this window.',
};
const PASSCODE_WORDS = {
  newButton: 'NEW PASSCODE', labelField: 'Passcode description', create: 'CREATE PASSCODE',
  secretLabel: 'New passcode', copy: 'COPY PASSCODE', list: 'Active passcodes',
  warning: 'This passcode cannot be displayed again after you close this window.',
};
const LABEL_TAKEN = 'You already have one with that description.';

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

const logIn = (page) => logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);

/** A logged-in page allowed to use the clipboard, showing the section `name`. */
async function openSection(name, path, viewport) {
  const { page, context, problems } = await newPage(browser, viewport);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  await logIn(page);
  if (viewport) await page.getByRole('button', { name: 'Open the settings menu' }).click(); // phone layout
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await page.waitForURL(`**${path}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  return { page, context, problems };
}

/** Fills in the description and clicks CREATE (PASSWORD, QR CODE, PASSCODE); resolves to the POST's response. */
async function submitLabel(page, dialog, label, words) {
  await dialog.getByLabel(words.labelField).fill(label);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/credentials') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: words.create, exact: true }).click();
  return answer;
}

/** EAS OPTIONS with Basic auth, as a phone sends it. */
async function easOptions(secret) {
  const auth = Buffer.from(`${BOOTSTRAP_EMAIL}:${secret}`).toString('base64');
  return fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync`, { method: 'OPTIONS', headers: { Authorization: `Basic ${auth}` } });
}

/** What the vendor app does with a scanned QR payload. */
async function appLogin(payload) {
  const { username, token } = JSON.parse(payload);
  return fetch(`${server.baseUrl}/api/v1/auth/app-login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, token }),
  });
}

/** The text encoded in a data:image/png URL, read by zbarimg (null when it is not installed). */
function decodeQr(dataUrl) {
  if (!existsSync('/usr/bin/zbarimg')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-qr-'));
  try {
    const file = join(dir, 'qr.png');
    writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    return execFileSync('/usr/bin/zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kinds = [
  {
    name: 'Exchange ActiveSync', path: '/settings/eas', shot: 'eas', label: 'Anna’s iPhone', qr: false,
    empty: 'You have no Exchange ActiveSync passwords yet.', dialog: 'New Exchange ActiveSync password',
    services: ['Exchange ActiveSync'], words: EAS_WORDS,
  },
  {
    name: 'Mobile Apps', path: '/settings/mobile-apps', shot: 'mobile-apps', label: 'Телефон Анны', qr: true,
    empty: 'You have no mobile app QR codes yet.', dialog: 'New mobile app QR code', services: ['Mobile app'], words: QR_WORDS,
  },
  {
    name: 'Application passcodes', path: '/settings/app-passcodes', shot: 'app-passcodes', label: 'Thunderbird 小明', qr: false,
    empty: 'You have no application passcodes yet.', dialog: 'New application passcode',
    // EAS is not among a new passcode's default doors: ticked here, so that it opens EAS below.
    tick: ['Exchange ActiveSync (phones)'],
    services: ['Exchange ActiveSync', 'IMAP', 'POP3', 'SMTP', 'CalDAV', 'CardDAV'], words: PASSCODE_WORDS,
  },
];

for (const k of kinds) {
  test(`${k.name}: create, copy, list, never shown again, delete`, async () => {
    const { page, problems } = await openSection(k.name, k.path);
    const empty = page.getByTestId('credentials-empty');
    await empty.getByText(k.empty).waitFor();
    await screenshot(page, `${k.shot}-empty`);
    assert.deepEqual(await unnamedControls(page), []);

    // Create.
    await page.getByRole('button', { name: k.words.newButton, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: k.dialog });
    await dialog.waitFor();
    for (const door of k.tick ?? []) await dialog.getByLabel(door).check();
    const response = await submitLabel(page, dialog, `  ${k.label}  `, k.words);
    assert.equal(response.status(), 201);
    const { credential, secret } = await response.json();
    assert.equal(credential.label, k.label);

    // The secret, shown once, and the COPY button puts exactly it on the clipboard.
    await dialog.getByRole('heading', { level: 3 }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H3', 'focus moves to the new secret');
    await dialog.getByText(k.words.warning).waitFor();
    if (k.words.secretLabel) await dialog.getByText(k.words.secretLabel, { exact: true }).waitFor();
    let shown;
    let sensitive; // strings that must never appear again
    if (k.qr) {
      const img = dialog.getByRole('img', { name: /^QR code to log in to the mobile app/ });
      const src = await img.getAttribute('src');
      assert.match(src, /^data:image\/png;base64,/);
      assert.equal(src, secret.qrCode);
      const box = await img.boundingBox();
      assert.ok(box.width >= 240 && box.height >= 240, `QR shown at ${box.width}x${box.height}`);
      assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the QR image loads under the CSP');
      const decoded = decodeQr(src);
      if (decoded !== null) assert.equal(decoded, secret.payload);
      const payload = JSON.parse(secret.payload);
      assert.equal(payload.username, BOOTSTRAP_EMAIL);
      shown = secret.payload;
      sensitive = [secret.payload, payload.token, secret.qrCode.slice(22, 200)];
      await dialog.getByRole('button', { name: 'Copy code text' }).click();
    } else {
      shown = (await dialog.getByTestId('new-secret').textContent()).trim();
      assert.match(shown, PASSWORD);
      assert.equal(shown, secret.password);
      sensitive = [shown, shown.replaceAll('-', '')];
      await dialog.getByRole('button', { name: k.words.copy, exact: true }).click();
    }
    await dialog.getByTestId('copy-status').getByText('Copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
    await page.waitForTimeout(300); // the dialog's entrance transition
    await screenshot(page, k.qr ? `${k.shot}-new-qr` : `${k.shot}-new-password`);
    assert.deepEqual(await unnamedControls(page), []);

    // Escape, × and a click beside the dialog do not throw the secret away: each asks first, and
    // Go back (the default, and what Escape answers) shows the same secret again.
    const ask = page.getByRole('dialog', { name: 'Did you copy it?' });
    const question = k.qr ? /^This QR code cannot be shown again/ : k.shot === 'app-passcodes' ? /^This passcode cannot be shown again/ : /^This password cannot be shown again/;
    for (const [how, close] of [
      ['Escape', () => page.keyboard.press('Escape')],
      ['×', () => dialog.getByRole('button', { name: 'Close', exact: true }).click()],
      ['a click beside it', () => page.mouse.click(5, 400)],
    ]) {
      await close();
      await ask.getByText(question).waitFor();
      if (how === 'Escape') {
        assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Go back', 'Go back has the focus');
        await page.waitForTimeout(300);
        await screenshot(page, `${k.shot}-close-ask`);
        assert.deepEqual(await unnamedControls(page), []);
        await page.keyboard.press('Escape');
      } else {
        await ask.getByRole('button', { name: 'Go back', exact: true }).click();
      }
      await ask.waitFor({ state: 'detached' });
      if (k.qr) assert.equal(await dialog.getByRole('img', { name: /^QR code to log in/ }).getAttribute('src'), secret.qrCode, how);
      else assert.equal((await dialog.getByTestId('new-secret').textContent()).trim(), shown, how);
    }

    // It opens its door: EAS for EAS passwords and passcodes, app login for the QR code.
    if (k.qr) assert.equal((await appLogin(shown)).status, 200);
    else {
      const res = await easOptions(shown);
      assert.equal(res.status, 200);
      assert.ok(res.headers.get('MS-ASProtocolVersions'), 'MS-ASProtocolVersions header');
    }

    // DONE: the entry is in the list, and the secret is gone from the page.
    await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: k.words.list, level: 2 }).waitFor();
    const list = page.getByRole('list', { name: k.words.list });
    const entry = list.getByRole('listitem').filter({ hasText: k.label });
    await entry.waitFor();
    assert.equal(await entry.getByTestId('credential-status').textContent(), 'Enabled');
    for (const svc of k.services) await entry.getByText(svc, { exact: true }).waitFor();
    await entry.getByText(/^Created /).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, `${k.shot}-list`);

    const leaks = async () => {
      const html = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage, ...sessionStorage }));
      return sensitive.filter((x) => html.includes(x) || page.url().includes(x));
    };
    assert.deepEqual(await leaks(), [], 'the secret left the page with the dialog');
    await page.reload();
    await entry.waitFor();
    assert.deepEqual(await leaks(), [], 'the secret is nowhere after a reload');
    const listed = await (await page.request.get(`${server.baseUrl}/api/v1/credentials`)).text();
    assert.ok(listed.includes(k.label));
    assert.deepEqual(sensitive.filter((x) => listed.includes(x)), [], 'the list API never returns the secret');

    // The same description again (in other case) is refused, in words.
    await page.getByRole('button', { name: k.words.newButton, exact: true }).click();
    await dialog.waitFor();
    const again = await submitLabel(page, dialog, k.label.toUpperCase(), k.words);
    assert.equal(again.status(), 409);
    await dialog.getByText(LABEL_TAKEN).waitFor();
    if (k.shot === 'eas') await screenshot(page, 'eas-label-taken');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await list.getByRole('listitem').count(), 1);

    // DELETE x asks first; NO keeps it, YES deletes it.
    const confirm = page.getByRole('dialog', { name: `Delete ${k.label}?` });
    await entry.getByRole('button', { name: `Delete ${k.label}` }).click();
    await confirm.getByText('Devices using it will stop working.').waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, `${k.shot}-delete-confirm`);
    assert.deepEqual(await unnamedControls(page), []);
    await confirm.getByRole('button', { name: 'NO', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal(await entry.count(), 1);
    await entry.getByRole('button', { name: `Delete ${k.label}` }).click();
    await confirm.getByRole('button', { name: 'YES', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await empty.getByText(k.empty).waitFor();
    assert.equal(await entry.count(), 0);
    await page.getByText(`“${k.label}” was deleted.`).waitFor();
    // Focus is not lost with the DELETE button that went away.
    await page.waitForFunction((name) => document.activeElement?.textContent?.trim() === name, k.words.newButton);

    // The door is shut.
    if (k.qr) assert.equal((await appLogin(shown)).status, 401);
    else assert.equal((await easOptions(shown)).status, 401);

    // The duplicate's 409 is the browser's own console line; nothing else may be.
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  });
}

test('the description is checked before anything is sent, and the limit is explained', async () => {
  const { page, context, problems } = await openSection('Application passcodes', '/settings/app-passcodes', { width: 390, height: 844 });
  let posts = 0;
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/credentials') && posts++);
  await page.getByRole('button', { name: 'NEW PASSCODE', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New application passcode' });
  const field = dialog.getByLabel('Passcode description');
  const create = dialog.getByRole('button', { name: 'CREATE PASSCODE', exact: true });
  await field.fill('   ');
  await create.click();
  await dialog.getByText('Enter a description.').waitFor();
  await field.fill('📱'.repeat(65));
  await create.click();
  await dialog.getByText('A description has at most 64 characters.').waitFor();
  assert.equal(posts, 0);

  // 64 characters (128 UTF-16 units) are fine; on a phone the password still fits.
  await field.fill('📱'.repeat(64));
  assert.equal(await dialog.getByTestId('label-count').textContent(), '64 / 64');
  await create.click();
  await dialog.getByTestId('new-secret').waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'phone-app-passcode-new');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
  await dialog.getByRole('button', { name: 'DONE', exact: true }).click();

  // Fill up to the server's limit (25 per kind) through the API, then ask for one more.
  const csrf = (await context.cookies()).find((c) => c.name === 'tessera_csrf').value;
  for (let i = 1; i < 25; i++) {
    const res = await page.request.post(`${server.baseUrl}/api/v1/credentials`, {
      headers: { 'X-CSRF-Token': csrf },
      data: { kind: 'app_passcode', label: `Client ${i}` },
    });
    assert.equal(res.status(), 201);
  }
  await page.reload();
  await page.getByRole('listitem').filter({ hasText: 'Client 24' }).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Active passcodes' }).getByRole('listitem').count(), 25);
  await screenshot(page, 'phone-app-passcodes-list');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
  await page.getByRole('button', { name: 'NEW PASSCODE', exact: true }).click();
  await field.fill('One too many');
  await create.click();
  await dialog
    .getByTestId('create-error')
    .getByText('You have reached the maximum number of application passcodes. Delete one first.')
    .waitFor();
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
});
