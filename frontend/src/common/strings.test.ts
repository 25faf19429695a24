import { describe, expect, it } from 'vitest';
import { formatWait, strings } from './strings';

describe('formatWait', () => {
  it('says seconds, minutes or hours, rounding up', () => {
    expect(formatWait(1)).toBe('1 second');
    expect(formatWait(0)).toBe('1 second');
    expect(formatWait(2)).toBe('2 seconds');
    expect(formatWait(59)).toBe('59 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
    expect(formatWait(900)).toBe('15 minutes');
    expect(formatWait(3600)).toBe('1 hour');
    expect(formatWait(7201)).toBe('3 hours');
  });
});

describe('strings', () => {
  it('words the checklist with the policy numbers', () => {
    expect(strings.password.checks.min_length(8)).toBe('At least 8 characters');
    expect(strings.password.checks.max_length(128)).toBe('At most 128 characters');
    expect(strings.password.checks.min_length(1)).toBe('At least 1 character');
  });

  it('has the messages the product brief fixes', () => {
    expect(strings.errors.invalid_credentials).toBe('Wrong username or password');
    expect(strings.password.changed).toBe('Password changed. Other sessions have been signed out.');
    expect(strings.weakRules.common_password).toBe('This password is too common.');
    expect(strings.sections.otp.enrolRequired).toBe(
      'Your organisation requires two-factor authentication. Set up an authenticator app to continue.',
    );
    expect(strings.sections.devices.empty).toBe('No phone has synced yet.');
  });

  it('has the words the credential sections need', () => {
    const c = strings.credentials;
    expect(c.newButton).toBe('NEW AUTHENTICATION');
    expect(c.labelField).toBe('Authentication description');
    expect(c.create).toBe('CREATE PASSWORD');
    expect(c.copyPassword).toBe('COPY PASSWORD');
    expect(c.done).toBe('DONE');
    expect(c.warnPassword).toBe('This password cannot be displayed again after you close this window.');
    expect(c.deleteTitle('My phone')).toBe('Delete My phone?');
    expect(c.deleteBody).toBe('Devices using it will stop working.');
    expect(c.labelTooLong(64)).toBe('A description has at most 64 characters.');
    expect(strings.errors.label_taken).toBe('You already have one with that description.');
    for (const section of [strings.sections.eas, strings.sections.mobileApps, strings.sections.appPasscodes]) {
      expect(section.limitReached).toMatch(/^You have reached the maximum number .*Delete one first\.$/);
    }
  });
});

describe('the words of each credential page', () => {
  it('keeps the seed words for EAS, and says QR code and passcode where that is what it is', () => {
    const { eas, mobileApps, appPasscodes } = strings.sections;
    expect([eas.newButton, eas.create, eas.activeTitle, eas.labelField]).toEqual([
      'NEW AUTHENTICATION', 'CREATE PASSWORD', 'Active passwords', 'Authentication description',
    ]);
    expect(mobileApps.activeTitle).toBe('Active QR codes');
    expect(mobileApps.create).toBe('CREATE QR CODE');
    // Seed 002: application passcodes, never "password" or "authentication", on their page.
    for (const key of ['newButton', 'create', 'activeTitle', 'labelField', 'secretLabel', 'copySecret', 'warnSecret'] as const) {
      expect(appPasscodes[key], key).toMatch(/passcode/i);
      expect(appPasscodes[key], key).not.toMatch(/password|authentication/i);
      expect(mobileApps[key], key).not.toMatch(/password/i);
    }
  });
});

describe('OTP words', () => {
  it('has the words the seed and the brief fix', () => {
    expect(strings.sections.otp.newButton).toBe('NEW OTP');
    expect(strings.newOtp.next).toBe('NEXT');
    expect(strings.newOtp.print).toBe('PRINT PIN CODES');
    expect(strings.newOtp.done).toBe('DONE');
    expect(strings.newOtp.codeField).toBe('Enter the 6-digit code your app shows');
    expect(strings.login.totpField).toBe('Code from your authenticator app');
    expect(strings.login.usePin).toBe('Use a PIN code instead');
    expect(strings.errors.invalid_code).toMatch(/^That code is not valid\./);
    expect(strings.errors.invalid_confirm_code).toMatch(/^That code is not valid\./);
    expect(strings.sections.otp.failedCount(3, 10)).toBe('3 / 10');
    expect(strings.newOtp.steps).toHaveLength(3);
    expect(strings.newOtp.stepOf(2, 3, 'Scan')).toBe('Step 2 of 3: Scan');
  });
});
