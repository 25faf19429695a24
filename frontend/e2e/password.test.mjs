// Browser test against the real `tessera serve`: log in, change the password (weak, then strong),
// log out, and check which password opens the door afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const NEW_PASSWORD = 'Quiet-Harbor-42!';
// Meets every character rule but contains the address's local part ("admin").
const WEAK_PASSWORD = 'Myadmin-harbor-42!';

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

async function logIn(page, password) {
  await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
}

async function logOut(page) {
  await page.getByRole('button', { name: 'LOG OUT', exact: true }).click();
  await page.waitForURL('**/login');
}

/** checks[id] = true/false, as the live checklist shows them. */
async function checklist(page) {
  const items = page.getByTestId('password-checklist').locator('[data-check]');
  const out = {};
  for (const item of await items.all()) out[await item.getAttribute('data-check')] = (await item.getAttribute('data-ok')) === 'true';
  return out;
}

function field(page, label) {
  return page.getByLabel(label, { exact: true });
}

test('change password: weak refused, strong accepted, old password no longer works', async () => {
  const { page, problems } = await newPage(browser);

  // Not logged in: a settings URL leads to the login page.
  await page.goto(`${server.baseUrl}/settings/password`);
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'LOG IN', exact: true }).waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Log in to Tessera');
  await screenshot(page, 'login');
  assert.deepEqual(await unnamedControls(page), []);

  await logIn(page, BOOTSTRAP_PASSWORD);
  await page.waitForURL('**/settings/password');
  assert.equal(await page.getByTestId('account-email').textContent(), BOOTSTRAP_EMAIL);
  await page.getByRole('heading', { name: 'Change Password', level: 1 }).waitFor();

  // The checklist ticks as the user types; an empty field already meets the maximum length.
  await page.locator('[data-check="min_length"]').waitFor();
  let checks = await checklist(page);
  assert.deepEqual(checks, { min_length: false, lowercase: false, uppercase: false, digit: false, symbol: false, max_length: true, matches: false });
  await field(page, 'New password').fill('ab');
  checks = await checklist(page);
  assert.deepEqual(
    { min: checks.min_length, lower: checks.lowercase, upper: checks.uppercase, digit: checks.digit, symbol: checks.symbol },
    { min: false, lower: true, upper: false, digit: false, symbol: false },
  );
  await field(page, 'New password').fill(NEW_PASSWORD);
  await field(page, 'Confirm new password').fill(NEW_PASSWORD + 'x');
  checks = await checklist(page);
  assert.equal(checks.matches, false);
  assert.equal(checks.min_length && checks.uppercase && checks.digit && checks.symbol && checks.max_length, true);

  // A mismatch is caught before anything is sent.
  await field(page, 'Current password').fill(BOOTSTRAP_PASSWORD);
  await page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true }).click();
  await page.getByText('The confirmation does not match the new password.').waitFor();

  // Wrong current password.
  await field(page, 'Current password').fill('Not-The-Password-1!');
  await field(page, 'Confirm new password').fill(NEW_PASSWORD);
  assert.equal((await checklist(page)).matches, true);
  await page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true }).click();
  await page.getByTestId('password-error').getByText('Your current password is wrong.').waitFor();

  // A weak password: the server names the rule and the page says it in words.
  await field(page, 'Current password').fill(BOOTSTRAP_PASSWORD);
  await field(page, 'New password').fill(WEAK_PASSWORD);
  await field(page, 'Confirm new password').fill(WEAK_PASSWORD);
  await page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true }).click();
  const error = page.getByTestId('password-error');
  await error.getByText('It contains your username.').waitFor();
  assert.match(await error.textContent(), /This password cannot be used/);

  // A strong one.
  await field(page, 'New password').fill(NEW_PASSWORD);
  await field(page, 'Confirm new password').fill(NEW_PASSWORD);
  await screenshot(page, 'change-password-filled');
  await page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true }).click();
  await page.getByText('Password changed. Other sessions have been signed out.').waitFor();
  await page.waitForTimeout(600); // let the toast finish sliding in before the screenshot
  assert.equal(await page.getByTestId('password-error').count(), 0);
  for (const label of ['Current password', 'New password', 'Confirm new password']) {
    assert.equal(await field(page, label).inputValue(), '', `${label} is cleared`);
  }
  await screenshot(page, 'change-password-done');
  assert.deepEqual(await unnamedControls(page), [], 'every control of the page and the toast has a name');

  // The session survives the change (the server re-issued the cookies): the page reloads the
  // account with GET /me and shows when the password changed.
  await page.getByText(/^Last changed /).waitFor();
  await page.getByRole('link', { name: 'Exchange ActiveSync' }).click();
  await page.getByText('You have no Exchange ActiveSync passwords yet.').waitFor();
  await page.reload();
  await page.getByText('You have no Exchange ActiveSync passwords yet.').waitFor();
  assert.equal(await page.getByTestId('account-email').textContent(), BOOTSTRAP_EMAIL);

  await logOut(page);

  // The new password works.
  await logIn(page, NEW_PASSWORD);
  await page.waitForURL('**/settings/**');
  assert.equal(await page.getByTestId('account-email').textContent(), BOOTSTRAP_EMAIL);
  await logOut(page);

  // The old one does not.
  await logIn(page, BOOTSTRAP_PASSWORD);
  await page.getByTestId('login-error').getByText('Wrong username or password').waitFor();
  assert.ok(page.url().endsWith('/login'));
  await screenshot(page, 'login-refused');

  assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
});

test('on a phone the checklist sits under the new password, above the button', async () => {
  const { page, problems } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(`${server.baseUrl}/login`);
  await logIn(page, NEW_PASSWORD);
  await page.waitForURL('**/settings/password');
  const panel = page.getByTestId('password-checklist-panel');
  await page.locator('[data-check="min_length"]').waitFor();
  await field(page, 'New password').fill('ab');
  const box = async (locator) => (await locator.boundingBox()) ?? assert.fail('not shown');
  const [newField, list, confirm, button] = await Promise.all([
    box(field(page, 'New password')),
    box(panel),
    box(field(page, 'Confirm new password')),
    box(page.getByRole('button', { name: 'CHANGE PASSWORD', exact: true })),
  ]);
  assert.ok(list.y > newField.y + newField.height - 1, 'below the new password');
  assert.ok(list.y + list.height <= confirm.y, 'above the confirmation');
  assert.ok(list.y + list.height <= button.y, 'above the button');
  await screenshot(page, 'phone-change-password-checklist');
  assert.equal(await page.getByTestId('password-checklist').count(), 1, 'one checklist');
  assert.deepEqual(problems, []);
});
