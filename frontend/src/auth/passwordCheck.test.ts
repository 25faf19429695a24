import { describe, expect, it } from 'vitest';
import type { PasswordPolicy } from '../common/api';
import { allPassed, charCount, checkPassword, type CheckId } from './passwordCheck';

const strict: PasswordPolicy = {
  minLength: 8,
  maxLength: 128,
  requireLowercase: true,
  requireUppercase: true,
  requireDigit: true,
  requireSymbol: true,
};

function failing(policy: PasswordPolicy, pw: string, confirm = pw): CheckId[] {
  return checkPassword(policy, pw, confirm)
    .filter((c) => !c.ok)
    .map((c) => c.id);
}

describe('checkPassword', () => {
  it('lists every rule of a strict policy in display order', () => {
    expect(checkPassword(strict, '', '').map((c) => c.id)).toEqual([
      'min_length', 'lowercase', 'uppercase', 'digit', 'symbol', 'max_length', 'matches',
    ]);
  });

  it('fails everything but max_length for an empty password', () => {
    expect(failing(strict, '', '')).toEqual(['min_length', 'lowercase', 'uppercase', 'digit', 'symbol', 'matches']);
  });

  it('passes a strong password with a matching confirmation', () => {
    const checks = checkPassword(strict, 'Correct-Horse-7', 'Correct-Horse-7');
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(allPassed(checks)).toBe(true);
  });

  it('ticks rules one by one as the user types', () => {
    expect(failing(strict, 'a')).toEqual(['min_length', 'uppercase', 'digit', 'symbol']);
    expect(failing(strict, 'aB')).toEqual(['min_length', 'digit', 'symbol']);
    expect(failing(strict, 'aB3')).toEqual(['min_length', 'symbol']);
    expect(failing(strict, 'aB3!')).toEqual(['min_length']);
    expect(failing(strict, 'aB3!efgh')).toEqual([]);
  });

  it('needs the confirmation to be filled in and equal', () => {
    expect(failing(strict, 'aB3!efgh', '')).toEqual(['matches']);
    expect(failing(strict, 'aB3!efgh', 'aB3!efgH')).toEqual(['matches']);
    expect(allPassed(checkPassword(strict, 'aB3!efgh', 'aB3!efg'))).toBe(false);
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    const emoji = '😀'; // two UTF-16 units, one code point
    expect(emoji.length).toBe(2);
    expect(charCount(emoji.repeat(4))).toBe(4);
    const policy = { ...strict, minLength: 5 };
    // 'aB3' + 2 emoji = 5 code points (7 UTF-16 units): long enough, and emoji are symbols.
    expect(failing(policy, `aB3${emoji}${emoji}`)).toEqual([]);
    expect(failing(policy, `aB3${emoji}`)).toEqual(['min_length']);
  });

  it('enforces the maximum length in code points', () => {
    const policy = { ...strict, maxLength: 10 };
    expect(failing(policy, 'aB3!efghij')).toEqual([]);
    expect(failing(policy, 'aB3!efghijk')).toEqual(['max_length']);
    expect(failing(policy, 'aB3!' + 'é'.repeat(6))).toEqual([]);
  });

  it('uses Unicode letter and digit classes', () => {
    expect(failing(strict, 'éÉ٣!abcd')).toEqual([]); // é lower, É upper, Arabic-Indic three is a digit
    expect(failing(strict, 'ÄÖÜäöü12')).toEqual(['symbol']); // letters and digits only
    expect(failing(strict, 'abcDEF12 ')).toEqual([]); // a space is a symbol
    expect(failing(strict, 'abcDEF12_')).toEqual([]);
  });

  it('leaves out character classes the policy does not require', () => {
    const lax: PasswordPolicy = { ...strict, requireLowercase: false, requireUppercase: false, requireDigit: false, requireSymbol: false };
    expect(checkPassword(lax, 'x', 'x').map((c) => c.id)).toEqual(['min_length', 'max_length', 'matches']);
    expect(failing(lax, 'aaaaaaaa')).toEqual([]);
    expect(failing({ ...lax, requireDigit: true }, 'aaaaaaaa')).toEqual(['digit']);
  });
});
