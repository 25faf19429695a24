// Fails when src/common/api-schema.d.ts is not what `npm run gen:api` would generate
// from ../api-spec/openapi.yaml (i.e. someone changed the spec and forgot to regenerate).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, '../api-spec/openapi.yaml');
const committed = resolve(root, 'src/common/api-schema.d.ts');

const require = createRequire(import.meta.url);
const pkgPath = require.resolve('openapi-typescript/package.json');
const bin = require(pkgPath).bin;
const cli = join(dirname(pkgPath), typeof bin === 'string' ? bin : bin['openapi-typescript']);

const dir = mkdtempSync(join(tmpdir(), 'tessera-check-api-'));
const fresh = join(dir, 'api-schema.d.ts');
try {
  const run = spawnSync(process.execPath, [cli, spec, '-o', fresh], { encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    console.error('check:api: openapi-typescript failed');
    process.exit(1);
  }
  const want = readFileSync(fresh, 'utf8');
  let have = '';
  try {
    have = readFileSync(committed, 'utf8');
  } catch {
    console.error(`check:api: ${committed} is missing; run \`npm run gen:api\``);
    process.exit(1);
  }
  if (want !== have) {
    const a = have.split('\n');
    const b = want.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    console.error(`check:api: src/common/api-schema.d.ts is out of date with api-spec/openapi.yaml`);
    console.error(`  first difference at line ${line + 1}:`);
    console.error(`  committed: ${JSON.stringify(a[line])}`);
    console.error(`  generated: ${JSON.stringify(b[line])}`);
    console.error('  run `npm run gen:api` and commit the result');
    process.exit(1);
  }
  console.log('check:api: generated API types are up to date');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
