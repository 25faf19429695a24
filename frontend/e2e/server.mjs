// Starts the real `tessera serve` on a free loopback port with a fresh data directory,
// waits for /readyz, and stops it afterwards. `setup` runs CLI commands on that data directory
// first (e.g. ['policy', 'set-2fa', 'global', 'required']).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const BOOTSTRAP_EMAIL = 'admin@example.com';
export const BOOTSTRAP_PASSWORD = 'Bootstrap-Pass-9x!';

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `adminTwoFactor: true` keeps adminRequireTwoFactor on (a real install's default); otherwise it
 * is turned off first, so that admin tests need not enrol an OTP entry for every administrator.
 * `env` adds variables (e.g. the mail doors' TESSERA_IMAPS_LISTEN). `host: 'localhost'` makes the
 * public URL (and baseUrl) http://localhost:PORT: passkeys need a host name, not an IP address.
 */
export async function startTessera({ timeoutMs = 30_000, setup = [], adminTwoFactor = false, env: extraEnv = {}, host } = {}) {
  if (!adminTwoFactor) setup = [['config', 'set', 'adminRequireTwoFactor', 'false'], ...setup];
  const bin = process.env.TESSERA_BIN || join(repo, 'bin/tessera');
  if (!existsSync(bin)) {
    throw new Error(`tessera binary not found at ${bin}: build it (make build) or set TESSERA_BIN`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  const baseUrl = `http://${host ?? '127.0.0.1'}:${port}`;
  let output = '';
  const env = {
    ...process.env,
    TESSERA_LISTEN: `127.0.0.1:${port}`,
    TESSERA_DATA_DIR: dataDir,
    TESSERA_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD,
    TESSERA_BOOTSTRAP_DOMAIN: 'example.com',
    ...(host ? { TESSERA_PUBLIC_URL: baseUrl } : {}),
    ...extraEnv,
  };
  for (const args of setup) {
    try {
      output += execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`tessera ${args.join(' ')} failed (${err.status}):\n${err.stdout}${err.stderr}`);
    }
  }
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exit, sleep(5000).then(() => null)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exit;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`tessera exited early (${JSON.stringify(exited)}):\n${output}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tessera was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
  // The binary embeds frontend/dist at build time: a binary older than the last `npm run build`
  // serves an index.html whose hashed assets no longer match. Say so instead of timing out.
  const built = join(repo, 'frontend/dist/index.html');
  if (existsSync(built)) {
    const served = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    if (served !== readFileSync(built, 'utf8')) {
      await stop();
      throw new Error(`${bin} serves a different SPA build than frontend/dist: rebuild the binary after \`npm run build\``);
    }
  }
  return { baseUrl, dataDir, stop, output: () => output };
}
