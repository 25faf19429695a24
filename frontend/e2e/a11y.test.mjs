// The accessibility check (axe-core, a11y.mjs) on every page state, at desktop and phone width:
// the login and its second step, each settings page with its dialogs, each Administration page
// with its dialogs. Each width walks as its own global admin, so that both walks see the same.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { launchBrowser, logInAs, newPage, screenshot } from './browser.mjs';
import { startTessera } from './server.mjs';
import { timeStep, totp } from './totp.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
const BOB = 'bob@example.com';

let server;
let browser;

before(async () => {
  server = await startTessera({
    setup: [
      ['domain', 'create', 'example.com'],
      ['cos', 'create', 'staff'],
      // Two global admins, one for each width (with a global admin there, serve creates no bootstrap admin).
      ['account', 'create', 'desk@example.com', '--role', 'global_admin', '--password', PASSWORD],
      ['account', 'create', 'phone@example.com', '--role', 'global_admin', '--password', PASSWORD],
      ['account', 'create', 'dana@example.com', '--role', 'domain_admin', '--password', PASSWORD, '--cos', 'staff'],
      ['account', 'create', BOB, '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
  await giveBobSomething();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Bob gets an EAS password with a phone that synced, and an OTP entry: the admin tables are not empty. */
async function giveBobSomething() {
  const jar = new Map();
  const call = async (method, path, body) => {
    const headers = { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), 'Content-Type': 'application/json' };
    if (method !== 'GET' && jar.has('tessera_csrf')) headers['X-CSRF-Token'] = jar.get('tessera_csrf');
    const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body && JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };
  assert.equal((await call('POST', '/api/v1/auth/login', { username: BOB, password: PASSWORD })).status, 200);
  const eas = await call('POST', '/api/v1/credentials', { kind: 'eas', label: 'Bob phone' });
  assert.equal(eas.status, 201);
  const res = await fetch(`${server.baseUrl}/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=${encodeURIComponent(BOB)}&DeviceId=A11YPHONE01&DeviceType=iPhone`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${BOB}:${eas.json.secret.password}`).toString('base64')}`,
      'MS-ASProtocolVersion': '16.1',
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    },
  });
  assert.ok(res.status < 500, `EAS answered ${res.status}`);
  const otp = await call('POST', '/api/v1/credentials', { kind: 'otp', label: 'Bob authenticator' });
  assert.equal(otp.status, 201);
  assert.equal((await call('POST', `/api/v1/credentials/${otp.json.credential.id}/confirm`, { code: totp(otp.json.secret.secret, timeStep()) })).status, 200);
}

const widths = [
  { name: 'desktop', width: 1280, height: 800, email: 'desk@example.com', password: PASSWORD },
  { name: 'phone', width: 390, height: 844, email: 'phone@example.com', password: PASSWORD },
];

/**
 * A click on the backdrop (beside a dialog that stays open) and then Tab, Tab, …: focus never
 * leaves the dialog. It used to move to <body> on the click, and Tab then went to the page behind.
 */
async function tabStaysInside(page, dialog) {
  await page.mouse.click(3, 400);
  assert.equal(await dialog.count(), 1, 'the dialog stays open');
  const inside = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
  assert.equal(await inside(), true, 'focus stays in the dialog after the click');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await inside(), true, `Tab ${i + 1} stays in the dialog`);
  }
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Shift+Tab');
    assert.equal(await inside(), true, `Shift+Tab ${i + 1} stays in the dialog`);
  }
}

/** Closes the notifications, so that each check sees the page, not a toast on its way out. */
async function quiet(page) {
  for (const button of await page.locator('.mantine-Notification-root button').all()) await button.click().catch(() => {});
  await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' }).catch(() => {});
}

for (const w of widths) {
  test(`every page passes axe at ${w.name} width (${w.width} px)`, async () => {
    const { page, problems } = await newPage(browser, { width: w.width, height: w.height });
    const phone = w.width < 768;
    const check = async (state) => {
      await quiet(page);
      await expectAccessible(page, `${w.name}: ${state}`);
    };
    /** Through the menu (the burger first on a phone), to the page with that heading. */
    const open = async (link, heading = link) => {
      if (phone) {
        await page.getByRole('button', { name: 'Open the settings menu' }).click();
        await page.getByRole('navigation').getByRole('link', { name: link }).waitFor();
      }
      await page.getByRole('navigation').getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      // The phone menu slides out.
      if (phone) await page.waitForTimeout(300);
    };

    // The login, empty and after a wrong password.
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('button', { name: 'LOG IN', exact: true }).waitFor();
    await check('login');
    const shot = (name) => screenshot(page, `a11y-${w.name}-${name}`);
    await shot('login');
    await page.getByLabel('Username', { exact: true }).fill(w.email);
    await page.getByLabel('Password', { exact: true }).fill('Wrong-Password-1!');
    await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
    await page.getByTestId('login-error').waitFor();
    await check('login, wrong password');

    await logInAs(page, server.baseUrl, w.email, w.password);
    await page.getByRole('heading', { name: 'Change Password', level: 1 }).waitFor();
    await check('change password');
    // The first Tab of the page reaches "Skip to content", which takes focus past the menu.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await check('change password, skip link shown');
    await shot('skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('main')), true, 'the next Tab is inside the main content');
    assert.equal(new URL(page.url()).hash, '', 'no #fragment in the address');
    await page.getByLabel('New password', { exact: true }).fill('abc');
    await check('change password, typing');
    await shot('change-password');
    await page.getByLabel('New password', { exact: true }).fill('');

    if (phone) {
      await page.getByRole('button', { name: 'Open the settings menu' }).click();
      await page.waitForTimeout(300);
      await check('the menu open');
      await page.getByRole('button', { name: 'Open the settings menu' }).click();
      await page.waitForTimeout(300);
    }
    if (phone) await page.getByRole('button', { name: 'Open the settings menu' }).click();
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    const logoutAll = page.getByRole('dialog', { name: 'Log out of every session?' });
    await logoutAll.waitFor();
    await check('log out everywhere dialog');
    await logoutAll.getByRole('button', { name: 'Cancel' }).click();
    await logoutAll.waitFor({ state: 'detached' });
    if (phone) {
      await page.getByRole('button', { name: 'Open the settings menu' }).click();
      await page.waitForTimeout(300);
    }

    // The three credential pages: empty, the dialog's two steps, the list, the delete question.
    for (const section of ['Exchange ActiveSync', 'Mobile Apps', 'Application passcodes']) {
      await open(section);
      await page.getByTestId('credentials-empty').waitFor();
      await check(`${section}, empty`);
      await page.getByRole('button', { name: /^NEW / }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox').first().waitFor();
      await check(`${section}, new dialog`);
      if (section === 'Exchange ActiveSync') await tabStaysInside(page, dialog);
      await dialog.getByRole('textbox').first().fill(`${section} one`);
      await dialog.getByRole('button', { name: /^CREATE / }).click();
      await dialog.getByTestId('secret-warning').waitFor();
      await check(`${section}, the new secret`);
      await shot(`${section.replace(/ /g, '-').toLowerCase()}-secret`);
      await dialog.getByRole('button', { name: 'DONE', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('credential').first().waitFor();
      await check(`${section}, list`);
      await shot(`${section.replace(/ /g, '-').toLowerCase()}-list`);
      await page.getByRole('button', { name: `Delete ${section} one` }).click();
      const confirm = page.getByRole('dialog', { name: `Delete ${section} one?` });
      await confirm.waitFor();
      await check(`${section}, delete question`);
      await confirm.getByRole('button', { name: 'NO', exact: true }).click();
      await confirm.waitFor({ state: 'detached' });
    }

    // OTP: empty, the three steps of NEW OTP, the list, 2FA on.
    await open('OTP Authentication');
    await page.getByTestId('otp-empty').waitFor();
    await check('OTP, empty');
    await page.getByRole('button', { name: 'NEW OTP' }).click();
    const otpDialog = page.getByRole('dialog', { name: 'New OTP' });
    await otpDialog.getByLabel('OTP label').fill('My phone');
    await check('new OTP, label');
    await otpDialog.getByRole('button', { name: 'CREATE OTP', exact: true }).click();
    const shown = otpDialog.getByTestId('otp-secret');
    await shown.waitFor();
    const secret = (await shown.textContent()).replace(/\s+/g, '');
    await check('new OTP, QR code');
    await otpDialog.getByLabel('Enter the 6-digit code your app shows').fill(totp(secret, timeStep()));
    await otpDialog.getByRole('button', { name: 'NEXT', exact: true }).click();
    await otpDialog.getByRole('heading', { name: 'Your PIN codes' }).waitFor();
    await check('new OTP, PIN codes');
    await otpDialog.getByRole('button', { name: 'DONE', exact: true }).click();
    await otpDialog.waitFor({ state: 'detached' });
    const sw = page.getByRole('switch', { name: 'Two-factor authentication' });
    await sw.focus();
    await page.keyboard.press('Space');
    await page.getByText('Two-factor authentication is on.').waitFor();
    await check('OTP, list with 2FA on');
    await shot('otp');

    // The second step of the login, with a TOTP code and with a PIN code.
    await page.getByRole('button', { name: 'LOG OUT', exact: true }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Username', { exact: true }).fill(w.email);
    await page.getByLabel('Password', { exact: true }).fill(w.password);
    await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
    await page.getByTestId('second-factor-code').waitFor();
    await check('second factor');
    await page.getByRole('button', { name: 'Use a PIN code instead' }).click();
    await check('second factor, PIN code');
    await page.getByRole('button', { name: 'Use a code from your authenticator app instead' }).click();
    // The enrolment used this step's code: the next one (at most 30 s away) logs in.
    const step = timeStep();
    while (timeStep() === step) await page.waitForTimeout(500);
    await page.getByTestId('second-factor-code').fill(totp(secret, timeStep()));
    await page.getByRole('button', { name: 'VERIFY', exact: true }).click();
    await page.getByRole('button', { name: 'LOG OUT', exact: true }).waitFor();

    // Administration: accounts, one account with its dialogs, domains with theirs, settings, audit.
    await open('Accounts');
    await page.getByTestId('account-row').first().waitFor();
    await check('admin accounts');
    await page.getByRole('link', { name: BOB, exact: true }).click();
    await page.getByTestId('admin-account-email').waitFor();
    await page.getByTestId('admin-account-audit').getByTestId('audit-row').first().waitFor();
    await page.getByTestId('admin-devices').getByTestId('admin-device').waitFor();
    await check('admin account');
    await shot('admin-account');
    await page.getByRole('button', { name: 'Actions for Bob phone' }).click();
    await page.getByRole('menu', { name: 'Actions for Bob phone' }).waitFor();
    await check('admin account, credential menu');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'LOCK', exact: true }).click();
    const lock = page.getByRole('dialog', { name: `Lock ${BOB}?` });
    await lock.waitFor();
    await check('admin account, lock question');
    await lock.getByRole('button', { name: 'Cancel' }).click();
    await lock.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'RESET PASSWORD' }).click();
    const reset = page.getByRole('dialog', { name: `Reset the password of ${BOB}?` });
    await reset.waitFor();
    await check('admin account, reset question');
    await reset.getByRole('button', { name: 'Cancel' }).click();
    await reset.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'NEW EAS PASSWORD' }).click();
    const adminNew = page.getByRole('dialog', { name: 'New Exchange ActiveSync password' });
    await adminNew.getByLabel('Label').waitFor();
    await check('admin account, new EAS password');
    await adminNew.getByRole('button', { name: 'Cancel' }).click();
    await adminNew.waitFor({ state: 'detached' });

    await open('Domains & COS', 'Domains and classes of service');
    await page.getByTestId('org-row').first().waitFor();
    await check('admin domains');
    await shot('admin-domains');
    await page.getByRole('button', { name: 'Password policy: example.com' }).click();
    const policy = page.getByRole('dialog', { name: 'Password policy of example.com' });
    await policy.getByLabel('Shortest password').waitFor();
    await check('admin domains, password policy');
    await policy.getByRole('button', { name: 'CANCEL' }).click();
    await policy.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Edit the limits of staff' }).click();
    const limits = page.getByRole('dialog', { name: 'Limits of staff' });
    await limits.waitFor();
    await check('admin domains, COS limits');
    await page.keyboard.press('Escape');
    await limits.waitFor({ state: 'detached' });

    await open('Global settings');
    await page.getByLabel('Shortest password').waitFor();
    await check('admin global settings');

    await open('Audit log');
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    await check('admin audit log');
    await shot('audit');
    await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Login failed' });
    await page.getByRole('button', { name: 'APPLY' }).click();
    await page.getByTestId('audit-row').first().waitFor();
    const kinds = await page.getByTestId('audit-kind').evaluateAll((cells) => cells.map((c) => [c.dataset.kind, c.textContent]));
    assert.ok(kinds.length > 0);
    assert.deepEqual([...new Set(kinds.map(String))], ['login_failed,Login failed'], 'the filter sends the internal name, the table shows the readable one');

    assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  });
}
