// Browser test of the login page's failure messages against the real server: wrong password,
// then the throttle (429 with Retry-After) after repeated failures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, screenshot } from './browser.mjs';
import { BOOTSTRAP_EMAIL, startTessera } from './server.mjs';

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

test('repeated failures are throttled and the page says how long to wait', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${server.baseUrl}/login`);
  const error = page.getByTestId('login-error');
  let message = '';
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel('Username', { exact: true }).fill(BOOTSTRAP_EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(`Wrong-Password-${attempt}!`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
    const status = (await answer).status();
    await error.waitFor();
    message = (await error.textContent()).trim();
    if (status === 429) break;
    assert.equal(status, 401);
    assert.equal(message, 'Wrong username or password');
  }
  assert.match(message, /^Too many attempts\. Try again in \d+ (second|seconds|minute|minutes)\.$/);
  await screenshot(page, 'login-throttled');
  // 429 is a console error of the browser's own making; nothing else may be.
  assert.deepEqual(problems.filter((p) => !/status of 429/.test(p)), []);
});
