import { describe, expect, it } from 'vitest';
import { strings } from '../common/strings';
import { defaultPaper, deviceName, groupCode, isPin, isTotp, lockMessage, normalisePin, normaliseTotp, OTP_LOCK_AFTER } from './codes';

describe('groupCode', () => {
  it('shows a PIN code as two groups of four', () => {
    expect(groupCode('ABCDEFGH')).toBe('ABCD EFGH');
    expect(groupCode('ABCD EFGH')).toBe('ABCD EFGH');
  });

  it('shows a base32 key in groups of four, and copes with odd lengths', () => {
    expect(groupCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupCode('ABCDE')).toBe('ABCD E');
    expect(groupCode('')).toBe('');
  });
});

describe('TOTP codes', () => {
  it('takes six digits, with spaces or a dash between', () => {
    expect(isTotp('123456')).toBe(true);
    expect(isTotp(' 123 456 ')).toBe(true);
    expect(isTotp('123-456')).toBe(true);
    expect(normaliseTotp(' 123 456 ')).toBe('123456');
  });

  it('refuses anything else', () => {
    for (const code of ['', '12345', '1234567', '12345a', '١٢٣٤٥٦', 'ABCDEFGH']) expect(isTotp(code)).toBe(false);
  });
});

describe('PIN codes', () => {
  it('ignores spaces, dashes and case, like the server', () => {
    expect(normalisePin('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalisePin(' ABCD EFGH ')).toBe('ABCDEFGH');
    expect(isPin('abcd efgh')).toBe(true);
    expect(isPin('2345-6789')).toBe(true);
  });

  it('needs 8 characters of the alphabet without look-alikes', () => {
    expect(isPin('ABCDEFG')).toBe(false);
    expect(isPin('ABCDEFGHJ')).toBe(false);
    // 0, 1, O and I are not in the alphabet.
    for (const code of ['ABCDEFG0', 'ABCDEFG1', 'ABCDEFGO', 'ABCDEFGI', 'ABCDEFG!']) expect(isPin(code)).toBe(false);
  });
});

describe('lockMessage', () => {
  const t = strings.twoFactor.locked;
  it('says nothing when the user decides', () => {
    expect(lockMessage({ enabled: true, lockedBy: null })).toBeNull();
    expect(lockMessage({ enabled: false, lockedBy: null })).toBeNull();
  });

  it('names the level that requires 2FA', () => {
    expect(lockMessage({ enabled: true, lockedBy: 'cos' })).toBe('Your class of service requires two-factor authentication.');
    expect(lockMessage({ enabled: true, lockedBy: 'domain' })).toBe('Your domain requires two-factor authentication.');
    expect(lockMessage({ enabled: true, lockedBy: 'global' })).toBe('The server-wide policy requires two-factor authentication.');
  });

  it('names the level that forbids 2FA', () => {
    expect(lockMessage({ enabled: false, lockedBy: 'cos' })).toBe(t.forbidden.cos);
    expect(lockMessage({ enabled: false, lockedBy: 'domain' })).toBe('Your domain does not allow two-factor authentication.');
    expect(lockMessage({ enabled: false, lockedBy: 'global' })).toBe(
      'The server-wide policy does not allow two-factor authentication.',
    );
  });
});

describe('defaultPaper', () => {
  it('is Letter where Letter is usual, A4 elsewhere', () => {
    expect(defaultPaper('en-US')).toBe('letter');
    expect(defaultPaper('es_MX')).toBe('letter');
    expect(defaultPaper('fr-CA')).toBe('letter');
    expect(defaultPaper('en-GB')).toBe('a4');
    expect(defaultPaper('de-DE')).toBe('a4');
    expect(defaultPaper('en')).toBe('a4');
    expect(defaultPaper('zh-Hans-CN')).toBe('a4');
    expect(defaultPaper(undefined)).toBe('a4');
  });
});

describe('deviceName', () => {
  it('prefers the name the phone gave itself, then its model, then its type', () => {
    expect(deviceName({ friendlyName: 'Anna’s iPhone', model: 'iPhone15,2', deviceType: 'iPhone' })).toBe('Anna’s iPhone');
    expect(deviceName({ friendlyName: ' ', model: 'Pixel 8', deviceType: 'Android' })).toBe('Pixel 8');
    expect(deviceName({ friendlyName: '', model: '', deviceType: 'SAMSUNGSMG991B' })).toBe('SAMSUNGSMG991B');
  });
});

it('locks an entry after ten failures, as the server does', () => {
  expect(OTP_LOCK_AFTER).toBe(10);
});
