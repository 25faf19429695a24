// The words of issue 13's OTP fixes: a replayed code, PIN codes left, closing a secret's dialog,
// and confirming a domain's or COS's 2FA policy.
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../common/errors';
import { ApiError } from '../common/api';
import { strings } from '../common/strings';

describe('OTP words', () => {
  it('tells a replayed TOTP code from a wrong one', () => {
    const replay = new ApiError(401, 'code_already_used', 'server words', []);
    expect(errorMessage(replay)).toBe('This code was already used. Wait for the next one.');
    expect(errorMessage(new ApiError(401, 'invalid_code', '', []))).toMatch(/^That code is not valid\./);
  });

  it('counts the PIN codes left', () => {
    expect(strings.admin.credentials.pinCodesLeft(1)).toBe('1 PIN code left');
    expect(strings.admin.credentials.pinCodesLeft(9)).toBe('9 PIN codes left');
    expect(strings.sections.otp.fewPinsHint(0)).toMatch(/^No PIN code is left\./);
    expect(strings.sections.otp.fewPinsHint(1)).toMatch(/^Only 1 PIN code is left\./);
    expect(strings.sections.otp.fewPinsHint(2)).toMatch(/^Only 2 PIN codes are left\./);
  });

  it('asks before a secret is thrown away', () => {
    expect(strings.closeSecret.title).toBe('Did you copy it?');
    expect(strings.closeSecret.confirm).toBe('Close — I saved it');
    expect(strings.closeSecret.goBack).toBe('Go back');
  });

  it('says whom a 2FA policy change reaches', () => {
    const o = strings.admin.orgs;
    expect(o.policyDomainScope('example.com', 3)).toMatch(/every account of example\.com \(3 accounts\)/);
    expect(o.policyCosScope('staff', 1)).toMatch(/every account of staff \(1 account\)/);
    expect(o.policyDomainScope('new.net', 0)).toMatch(/^No account is in new\.net yet/);
  });
});
