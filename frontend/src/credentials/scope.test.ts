import { describe, expect, it } from 'vitest';
import { DEFAULT_DOORS, scopeOf } from './PasscodeScopeFields';

describe('scopeOf', () => {
  it('sends every desktop door by default, DAV as CalDAV and CardDAV, in a fixed order', () => {
    expect(scopeOf(DEFAULT_DOORS, '0')).toEqual({ services: ['imap', 'pop3', 'smtp', 'caldav', 'carddav'], expiresInDays: 0 });
  });
  it('keeps only what was ticked, EAS included when asked for', () => {
    expect(scopeOf(['eas', 'imap'], '90')).toEqual({ services: ['imap', 'eas'], expiresInDays: 90 });
    expect(scopeOf(['dav'], '365').services).toEqual(['caldav', 'carddav']);
  });
});
