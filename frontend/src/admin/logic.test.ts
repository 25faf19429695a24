import { describe, expect, it } from 'vitest';
import { auditQuery, credentialActions, failedAttemptsText, fromLocalInput, inRange, isAdmin, NO_FILTERS, pageCount, parseCosLimit, sameNames, toLocalInput } from './logic';

describe('isAdmin', () => {
  it('is true for both admin roles only', () => {
    expect(isAdmin('global_admin')).toBe(true);
    expect(isAdmin('domain_admin')).toBe(true);
    expect(isAdmin('user')).toBe(false);
    expect(isAdmin(undefined)).toBe(false);
  });
});

describe('credentialActions', () => {
  const base = { kind: 'eas' as const, status: 'enabled' as const, expiresAt: null, failedAttempts: 0 };
  it('offers disable, rename, expiry and delete for an enabled password', () => {
    expect(credentialActions(base)).toEqual(['disable', 'rename', 'setExpiry', 'delete']);
  });
  it('offers enable and clear expiry where they apply', () => {
    expect(credentialActions({ ...base, status: 'disabled', expiresAt: '2030-01-01T00:00:00Z' })).toEqual([
      'enable',
      'rename',
      'setExpiry',
      'clearExpiry',
      'delete',
    ]);
  });
  it('unlocks a locked OTP entry instead of enabling it', () => {
    expect(credentialActions({ ...base, kind: 'otp', status: 'locked', failedAttempts: 10 })).toEqual([
      'unlock',
      'rename',
      'setExpiry',
      'delete',
    ]);
  });
  it('resets the failed attempts of an OTP entry that has some', () => {
    expect(credentialActions({ ...base, kind: 'otp', failedAttempts: 3 })).toContain('resetFailed');
    expect(credentialActions({ ...base, kind: 'otp', failedAttempts: 0 })).not.toContain('resetFailed');
    expect(credentialActions({ ...base, failedAttempts: 3 })).not.toContain('resetFailed');
  });
  it('only narrows an application passcode: its doors, its expiry never cleared', () => {
    const pc = { ...base, kind: 'app_passcode' as const, expiresAt: '2030-01-01T00:00:00Z', services: ['imap' as const, 'smtp' as const] };
    expect(credentialActions(pc)).toEqual(['disable', 'rename', 'setExpiry', 'narrowDoors', 'delete']);
    expect(credentialActions({ ...pc, services: ['imap' as const] })).not.toContain('narrowDoors');
  });
  it('leaves a pending OTP entry to its owner', () => {
    expect(credentialActions({ ...base, kind: 'otp', status: 'pending', expiresAt: '2030-01-01T00:00:00Z' })).toEqual([
      'rename',
      'delete',
    ]);
  });
});

describe('failedAttemptsText', () => {
  it('says n / 10 for OTP entries only', () => {
    expect(failedAttemptsText({ kind: 'otp', failedAttempts: 4 })).toBe('4 / 10');
    expect(failedAttemptsText({ kind: 'eas', failedAttempts: 4 })).toBeNull();
  });
});

describe('local date-time inputs', () => {
  it('round-trips through local time', () => {
    const iso = fromLocalInput('2030-03-04T05:06');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(toLocalInput(iso)).toBe('2030-03-04T05:06');
    expect(new Date(iso!).getTime()).toBe(new Date(2030, 2, 4, 5, 6).getTime());
  });
  it('refuses what is not a date', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
    expect(fromLocalInput('2030-02-31T10:00')).toBeNull();
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('nope')).toBe('');
  });
});

describe('auditQuery', () => {
  it('drops empty filters and page 1', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({});
    expect(auditQuery({ ...NO_FILTERS, account: '  bob@example.com ', kind: ' ' }, 1)).toEqual({ account: 'bob@example.com' });
  });
  it('converts times and keeps the page', () => {
    const q = auditQuery({ ...NO_FILTERS, actor: 'dana@example.com', from: '2026-11-01T00:00', to: 'junk' }, 3);
    expect(q.actor).toBe('dana@example.com');
    expect(q.from).toBe(new Date(2026, 10, 1).toISOString().replace('.000Z', 'Z'));
    expect(q.to).toBeUndefined();
    expect(q.page).toBe(3);
  });
});

describe('pageCount', () => {
  it('rounds up and is at least 1', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });
});

describe('sameNames', () => {
  it('ignores order and repeats', () => {
    expect(sameNames(['b.org', 'a.com'], ['a.com', 'b.org', 'a.com'])).toBe(true);
  });
  it('tells different sets apart', () => {
    expect(sameNames(['a.com'], ['a.com', 'b.org'])).toBe(false);
    expect(sameNames([], ['a.com'])).toBe(false);
    expect(sameNames([], [])).toBe(true);
  });
});

describe('parseCosLimit', () => {
  it('reads empty as inherit, a number in range as itself, anything else as invalid', () => {
    expect(parseCosLimit('', 4, 20)).toBeNull();
    expect(parseCosLimit(6, 4, 20)).toBe(6);
    expect(parseCosLimit('20', 4, 20)).toBe(20);
    expect(parseCosLimit(3, 4, 20)).toBeUndefined();
    expect(parseCosLimit(21, 4, 20)).toBeUndefined();
    expect(parseCosLimit(6.5, 4, 20)).toBeUndefined();
    expect(parseCosLimit('x', 4, 20)).toBeUndefined();
  });
});

describe('inRange', () => {
  it('wants a whole number within the bounds', () => {
    expect(inRange(10, 10, 3540)).toBe(true);
    expect(inRange(3541, 10, 3540)).toBe(false);
    expect(inRange('', 1, 2)).toBe(false);
    expect(inRange(0, 0, 1000)).toBe(true);
  });
});
