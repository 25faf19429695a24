import { describe, expect, it } from 'vitest';
import type { Credential } from '../common/api';
import { halves, labelProblem, MAX_LABEL, normaliseLabel, ofKind, passwordGroups } from './label';

describe('labelProblem', () => {
  it('needs at least one character after trimming', () => {
    expect(labelProblem('')).toBe('required');
    expect(labelProblem('   \t ')).toBe('required');
    expect(labelProblem('\u3000\u00a0')).toBe('required');
    expect(labelProblem('x')).toBeNull();
    expect(labelProblem('  My phone  ')).toBeNull();
  });

  it('counts code points, not UTF-16 units, up to 64', () => {
    expect(labelProblem('a'.repeat(MAX_LABEL))).toBeNull();
    expect(labelProblem('a'.repeat(MAX_LABEL + 1))).toBe('too_long');
    // 64 emoji are 128 UTF-16 units but 64 characters.
    expect(labelProblem('📱'.repeat(64))).toBeNull();
    expect(labelProblem('📱'.repeat(65))).toBe('too_long');
    // Surrounding spaces do not count.
    expect(labelProblem(`  ${'b'.repeat(64)}  `)).toBeNull();
  });

  it('takes any script', () => {
    for (const label of ['Телефон Анны', '小明的手机', 'هاتف سارة', 'Ελένη', 'iPad de José']) {
      expect(labelProblem(label)).toBeNull();
    }
  });

  it('counts after NFC, like the server', () => {
    // "é" as e + combining accent is two code points, one after NFC.
    const decomposed = 'e\u0301'.repeat(64);
    expect(Array.from(decomposed)).toHaveLength(128);
    expect(labelProblem(decomposed)).toBeNull();
    expect(normaliseLabel(' e\u0301 ')).toBe('é');
  });

  it('refuses control characters and lone surrogates', () => {
    expect(labelProblem('my\u0000phone')).toBe('invalid_char');
    expect(labelProblem('my\nphone')).toBe('invalid_char');
    expect(labelProblem('my\ud83dphone')).toBe('invalid_char');
    expect(labelProblem('bad \ufffd')).toBe('invalid_char');
    // Trailing newline is trimmed, as the server does.
    expect(labelProblem('my phone\n')).toBeNull();
  });

  it('refuses bidirectional controls, like the server, but takes right-to-left text', () => {
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']) {
      expect(labelProblem(`Anna${c}'s phone`)).toBe('invalid_char');
    }
    expect(labelProblem('هاتف سارة')).toBeNull();
    // The zero-width joiner of emoji sequences is not a bidi control.
    expect(labelProblem('👩\u200d💻 laptop')).toBeNull();
  });
});

describe('passwordGroups', () => {
  it('splits a generated password into four groups of four', () => {
    expect(passwordGroups('ABCD-EFGH-JKLM-NPQR')).toEqual(['ABCD', 'EFGH', 'JKLM', 'NPQR']);
    expect(passwordGroups('ABCDEFGHJKLMNPQR')).toEqual(['ABCD', 'EFGH', 'JKLM', 'NPQR']);
    expect(passwordGroups('')).toEqual([]);
  });

  it('wraps only in the middle', () => {
    expect(halves(['ABCD', 'EFGH', 'JKLM', 'NPQR'])).toEqual([['ABCD', 'EFGH'], ['JKLM', 'NPQR']]);
    expect(halves(['A', 'B', 'C'])).toEqual([['A', 'B'], ['C']]);
    expect(halves([])).toEqual([]);
  });
});

describe('ofKind', () => {
  const cred = (id: number, kind: Credential['kind']): Credential => ({
    id, kind, label: `c${id}`, description: '', status: 'enabled', services: [], createdAt: '2024-01-01T00:00:00Z',
    lastUsedAt: null, lastUsedAddress: '', expiresAt: null, failedAttempts: 0,
  });
  it('keeps one kind, in order', () => {
    const items = [cred(1, 'eas'), cred(2, 'app_passcode'), cred(3, 'eas'), cred(4, 'otp')];
    expect(ofKind(items, 'eas').map((c) => c.id)).toEqual([1, 3]);
    expect(ofKind(items, 'mobile_app')).toEqual([]);
  });
});
