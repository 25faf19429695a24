// Debian's Chromium driven by playwright-core (no browser download).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expectAccessible } from './a11y.mjs';

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records uncaught errors, console errors and CSP violations. */
export async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A 401 from /api/v1/me at start is how the app learns it is logged out: not a problem.
    if (m.type() === 'error' && !/status of 40[01]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/**
 * A full-page PNG of the page state `name`, which also has to pass the accessibility check
 * (a11y.mjs): every state a test looks at is checked, not only those of a11y.test.mjs.
 */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await expectAccessible(page, name);
  return path;
}

/**
 * Visible buttons, links and form fields without an accessible name (a rough check: text,
 * aria-label, aria-labelledby or a <label>). Returns a description of each offender.
 */
export async function unnamedControls(page) {
  return page.evaluate(() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const named = (el) =>
      (el.getAttribute('aria-label') || '').trim() ||
      (el.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent?.trim())
        .join('') ||
      (el.labels && [...el.labels].map((l) => l.textContent.trim()).join('')) ||
      (['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim());
    return [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea')]
      .filter((el) => visible(el) && !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** Logs in through the login page and waits for the page every login lands on. */
export async function logInAs(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'LOG IN', exact: true }).click();
  await page.waitForURL('**/settings/password');
}
