/// <reference types="node" />
// Keeps the Kind filter in step with the server: every kind the Go code records has a readable
// name here, and every name here is still recorded there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS, auditKindName, auditKindOptions, FORMER_KINDS } from './auditKinds';

const backend = join(__dirname, '../../../backend');

function goFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return goFiles(path);
    return e.name.endsWith('.go') && !e.name.endsWith('_test.go') ? [path] : [];
  });
}

/** The kinds the server records: the audit package's Action constants, and literal kinds given to the recorders. */
function recordedKinds(): Set<string> {
  const kinds = new Set<string>();
  const constants = readFileSync(join(backend, 'internal/audit/audit.go'), 'utf8');
  for (const m of constants.matchAll(/^\s*Action\w*\s*=\s*"([a-z0-9_]+)"/gm)) kinds.add(m[1]);
  // audit.Event{Action: "…"}, (*admin.Service).record(ctx, sc, account, "…", …) and the CLI's
  // Accounts.Audit(ctx, actor, "…", …).
  const literal = /(?:\bAction:\s*|\brecord\(ctx, sc, [^,()]+, |\.Audit\(ctx, [^,()]+, )"([a-z0-9_]+)"/g;
  for (const file of goFiles(backend)) {
    for (const m of readFileSync(file, 'utf8').matchAll(literal)) kinds.add(m[1]);
  }
  return kinds;
}

describe('audit kinds', () => {
  const recorded = recordedKinds();

  it('finds what the server records', () => {
    // A sanity check of the scan itself: constants and literals both.
    expect(recorded.has('login')).toBe(true);
    expect(recorded.has('setting_changed')).toBe(true);
    expect(recorded.has('device_removed')).toBe(true);
  });

  it('names every kind the server records, and only those (with those it once recorded)', () => {
    expect([...AUDIT_KINDS].sort()).toEqual([...recorded, ...FORMER_KINDS].sort());
    for (const kind of FORMER_KINDS) expect(recorded.has(kind), `${kind} is recorded again: not a former kind`).toBe(false);
  });

  it('shows readable names, and an unknown kind as it is', () => {
    expect(auditKindName('login_failed')).toBe('Login failed');
    expect(auditKindName('something_new')).toBe('something_new');
    expect(auditKindName('toString')).toBe('toString');
    const options = auditKindOptions();
    expect(options).toHaveLength(AUDIT_KINDS.length);
    expect(options.map((o) => o.label)).toEqual([...options.map((o) => o.label)].sort((a, b) => a.localeCompare(b)));
  });
});
