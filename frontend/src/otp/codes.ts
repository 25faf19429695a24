// Pure helpers of OTP authentication: how codes are typed, shown and checked before they are
// sent, and the words for a 2FA setting locked by policy.
import type { Device, LockLevel, Paper, TwoFactor } from '../common/api';
import { strings } from '../common/strings';

/** After this many failed second factors in a row an OTP entry locks (the server's rule). */
export const OTP_LOCK_AFTER = 10;

/** Characters of a PIN code: no look-alikes (0/O, 1/I), one case. */
const PIN = /^[A-HJ-NP-Z2-9]{8}$/;
const TOTP = /^\d{6}$/;

/** "ABCDEFGH" → "ABCD EFGH"; a base32 key in groups of four the same way. */
export function groupCode(code: string, size = 4): string {
  return (code.replace(/\s+/g, '').match(new RegExp(`.{1,${size}}`, 'gu')) ?? []).join(' ');
}

/** A typed TOTP code as sent: spaces dropped ("123 456" → "123456"). */
export function normaliseTotp(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

export function isTotp(raw: string): boolean {
  return TOTP.test(normaliseTotp(raw));
}

/** A typed PIN code as the server compares it: spaces and dashes ignored, either case. */
export function normalisePin(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function isPin(raw: string): boolean {
  return PIN.test(normalisePin(raw));
}

/**
 * The note under a 2FA switch locked by policy: which level decides, and whether it requires or
 * forbids 2FA (a locked state that is on is required, off is forbidden). Null when unlocked.
 */
export function lockMessage(tf: Pick<TwoFactor, 'enabled' | 'lockedBy'>): string | null {
  if (!tf.lockedBy) return null;
  const words = tf.enabled ? strings.twoFactor.locked.required : strings.twoFactor.locked.forbidden;
  return words[tf.lockedBy as LockLevel] ?? null;
}

// Where Letter is the usual paper size (the US, Canada, Mexico, the Philippines, Chile, ...).
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR', 'PA', 'SV', 'DO', 'NI']);

/** A4, except for a locale of a region that prints on Letter ("en-US", "es-MX"). */
export function defaultPaper(locale: string | undefined): Paper {
  const region = locale?.split(/[-_]/)[1]?.toUpperCase();
  return region && LETTER_REGIONS.has(region) ? 'letter' : 'a4';
}

/** What to call a device: the name the phone gave itself, else its model, else its type. */
export function deviceName(d: Pick<Device, 'friendlyName' | 'model' | 'deviceType'>): string {
  return d.friendlyName.trim() || d.model.trim() || d.deviceType;
}
