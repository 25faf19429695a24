// Browser test of the settings shell: the menu reaches every section, the phone layout works,
// and "Log out everywhere" asks first and then really ends the session.
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

const logIn = (page) => logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);

const sections = [
  ['Exchange ActiveSync', '/settings/eas', 'You have no Exchange ActiveSync passwords yet.'],
  ['Mobile Apps', '/settings/mobile-apps', 'You have no mobile app QR codes yet.'],
  ['Application passcodes', '/settings/app-passcodes', 'You have no application passcodes yet.'],
  ['OTP Authentication', '/settings/otp', 'You have no OTP entries yet.'],
  ['Change Password', '/settings/password', 'Your new password needs'],
];

test('the menu leads to every section, and deep links survive a reload', async () => {
  const { page, problems } = await newPage(browser);
  await logIn(page);
  const nav = page.getByRole('navigation');
  for (const [label, path, text] of sections) {
    await nav.getByRole('link', { name: label }).click();
    await page.waitForURL(`**${path}`);
    await page.getByText(text).waitFor();
    assert.equal(await nav.getByRole('link', { name: label }).getAttribute('aria-current'), 'page');
    assert.equal(await page.title(), `${label} · Tessera`);
  }
  // The server's SPA fallback serves the app for a deep link.
  await page.goto(`${server.baseUrl}/settings/otp`);
  await page.getByText('You have no OTP entries yet.').waitFor();
  assert.deepEqual(problems, []);
});

test("an unknown address lands on its area's first page, in one redirect", async () => {
  const { page, problems } = await newPage(browser);
  await logIn(page);
  for (const [from, to] of [
    ['/settings/nope', '/settings/password'],
    ['/admin/orgs', '/admin/accounts'],
    ['/admin/a/b', '/admin/accounts'],
    ['/nowhere', '/settings/password'],
  ]) {
    await page.goto(`${server.baseUrl}${from}`);
    await page.waitForURL(`**${to}`, { timeout: 5000 });
    await page.waitForTimeout(300); // a redirect loop would have moved on by now
    assert.equal(new URL(page.url()).pathname, to, `${from} went to ${page.url()}`);
  }
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('phone layout: the menu opens from the burger', async () => {
  const { page, problems } = await newPage(browser, { width: 390, height: 844 });
  await logIn(page);
  await page.getByRole('heading', { name: 'Change Password', level: 1 }).waitFor();
  await screenshot(page, 'phone-change-password');
  await page.getByRole('button', { name: 'Open the settings menu' }).click();
  await page.waitForTimeout(400); // the menu slides in
  await screenshot(page, 'phone-menu');
  assert.deepEqual(await unnamedControls(page), []);
  await page.getByRole('navigation').getByRole('link', { name: 'Mobile Apps' }).click();
  await page.getByText('You have no mobile app QR codes yet.').waitFor();
  await page.waitForTimeout(400); // the menu slides out
  await screenshot(page, 'phone-mobile-apps');
  assert.deepEqual(problems, []);
});

test('log out everywhere asks first, then ends the session', async () => {
  const { page, context, problems } = await newPage(browser);
  await logIn(page);
  const other = await context.browser().newContext();
  const otherPage = await other.newPage();
  // A second session (another browser) logged in too.
  await otherPage.goto(`${server.baseUrl}/login`);
  await otherPage.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await otherPage.getByLabel('Password', { exact: true }).fill(BOOTSTRAP_PASSWORD);
  await otherPage.getByRole('button', { name: 'LOG IN', exact: true }).click();
  await otherPage.waitForURL('**/settings/password');

  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log out of every session?' });
  await dialog.waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'logout-all-dialog');
  assert.deepEqual(await unnamedControls(page), []);
  // The dialog traps focus: tabbing around never leaves it.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]')), true);
  }
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(page.url().endsWith('/settings/password'), 'cancel keeps the session');

  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await dialog.getByRole('button', { name: 'LOG OUT EVERYWHERE' }).click();
  await page.waitForURL('**/login');
  await page.reload();
  await page.getByRole('button', { name: 'LOG IN', exact: true }).waitFor();

  // The other browser's session is gone too: its next API call (the list of EAS passwords, when
  // it opens Exchange ActiveSync) is refused, and the page says why it is back at the login.
  const otherNav = otherPage.getByRole('navigation');
  await otherNav.getByRole('link', { name: 'Exchange ActiveSync' }).click();
  await otherPage.waitForURL('**/login');
  await otherPage.getByText('Your session has ended. Log in again.').waitFor();
  await screenshot(otherPage, 'login-session-ended');
  await other.close();
  assert.deepEqual(problems, []);
});
