// The live checklist of the change-password form: which rules of the policy a candidate
// password meets. Mirrors the server's definitions (characters are Unicode code points).
import type { PasswordPolicy } from '../common/api';

export type CheckId = 'min_length' | 'lowercase' | 'uppercase' | 'digit' | 'symbol' | 'max_length' | 'matches';

export interface CheckResult {
  id: CheckId;
  ok: boolean;
}

const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const DIGIT = /\p{Nd}/u;
const SYMBOL = /[^\p{L}\p{Nd}]/u;

/** Number of Unicode code points (what the server counts as characters). */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/**
 * The checklist for `password` under `policy`, in display order. Character-class rules appear
 * only when the policy requires them; `matches` is met when the confirmation is filled in and equal.
 */
export function checkPassword(policy: PasswordPolicy, password: string, confirm: string): CheckResult[] {
  const n = charCount(password);
  const checks: CheckResult[] = [{ id: 'min_length', ok: n >= policy.minLength }];
  if (policy.requireLowercase) checks.push({ id: 'lowercase', ok: LOWER.test(password) });
  if (policy.requireUppercase) checks.push({ id: 'uppercase', ok: UPPER.test(password) });
  if (policy.requireDigit) checks.push({ id: 'digit', ok: DIGIT.test(password) });
  if (policy.requireSymbol) checks.push({ id: 'symbol', ok: SYMBOL.test(password) });
  checks.push({ id: 'max_length', ok: n <= policy.maxLength });
  checks.push({ id: 'matches', ok: confirm !== '' && password === confirm });
  return checks;
}

/** True when every check passed. */
export function allPassed(checks: CheckResult[]): boolean {
  return checks.every((c) => c.ok);
}
