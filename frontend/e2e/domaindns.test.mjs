// Browser test of a domain's DNS records (Administration › Domains & COS): the global admin
// opens them from the domains table and sees the records of this installation's doors; a
// domain admin sees those of her own domain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, logInAs, newPage, screenshot, unnamedControls } from './browser.mjs';
import { BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD, startTessera } from './server.mjs';

const PASSWORD = 'Harbor-Kite-Pass-71!';
let server;
let browser;

before(async () => {
  server = await startTessera({
    env: {
      TESSERA_PUBLIC_URL: 'https://mail.example.net',
      TESSERA_IMAPS_LISTEN: '127.0.0.1:0',
      TESSERA_SUBMISSION_LISTEN: '127.0.0.1:0',
    },
    setup: [
      ['domain', 'create', 'other.org'],
      ['account', 'create', 'dana@other.org', '--role', 'domain_admin', '--password', PASSWORD],
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (page, name) => page.getByTestId('domains').locator(`[data-testid=org-row][data-name="${name}"]`);

async function records(page) {
  const dialog = page.getByRole('dialog', { name: /^DNS records of / });
  await dialog.getByTestId('dns-record').first().waitFor();
  return dialog.getByTestId('dns-record').evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, 3).map((c) => c.textContent).join(' ')));
}

test('the global admin reads the DNS records of a domain', async () => {
  const { page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logInAs(page, server.baseUrl, BOOTSTRAP_EMAIL, BOOTSTRAP_PASSWORD);
  await page.getByTestId('admin-nav').getByRole('link', { name: 'Domains & COS' }).click();
  await page.waitForURL('**/admin/domains');
  await row(page, 'other.org').getByRole('button', { name: 'DNS records, other.org' }).click();
  const got = await records(page);
  for (const want of [
    'autodiscover.other.org. CNAME mail.example.net.',
    'autoconfig.other.org. CNAME mail.example.net.',
    '_autodiscover._tcp.other.org. SRV 0 1 443 mail.example.net.',
    '_imap._tcp.other.org. SRV 0 0 0 .',
    '_caldavs._tcp.other.org. TXT "path=/dav/"',
  ]) {
    assert.ok(got.includes(want), `${want} missing from ${JSON.stringify(got, null, 1)}`);
  }
  // The doors listen on ports the system picked: the records name the configured ones only.
  assert.ok(got.some((r) => /^_imaps\._tcp\.other\.org\. SRV 0 1 \d+ mail\.example\.net\.$/.test(r)), JSON.stringify(got));
  assert.ok(got.some((r) => /^_submission\._tcp\.other\.org\. SRV 0 1 \d+ mail\.example\.net\.$/.test(r)), JSON.stringify(got));
  assert.ok(got.includes('_pop3s._tcp.other.org. SRV 0 0 0 .'));
  const dialog = page.getByRole('dialog', { name: 'DNS records of other.org' });
  await dialog.getByRole('button', { name: 'COPY AS ZONE FILE' }).waitFor();
  assert.deepEqual(await unnamedControls(page), []);
  await page.waitForTimeout(300);
  await screenshot(page, 'admin-domain-dns');
  await dialog.getByRole('button', { name: 'CLOSE', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(problems, []);
});

test('a domain admin reads her own domain’s records', async () => {
  const { page, problems } = await newPage(browser, { width: 390, height: 800 });
  await logInAs(page, server.baseUrl, 'dana@other.org', PASSWORD);
  await page.goto(`${server.baseUrl}/admin/domains`);
  await row(page, 'other.org').getByRole('button', { name: 'DNS records, other.org' }).click();
  const got = await records(page);
  assert.ok(got.includes('autoconfig.other.org. CNAME mail.example.net.'), JSON.stringify(got));
  assert.equal(await row(page, 'example.com').count(), 0);
  await page.waitForTimeout(300);
  await screenshot(page, 'admin-domain-dns-phone');
  assert.deepEqual(problems, []);
});
