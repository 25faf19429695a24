import { describe, expect, it } from 'vitest';
import { inheritedValue, minLengthProblem, overrideCount, toDraft, toPatch } from './orgPasswordPolicy';

const inheritAll = {
  passwordMinLength: null,
  passwordRequireLowercase: null,
  passwordRequireUppercase: null,
  passwordRequireDigit: null,
  passwordRequireSymbol: null,
};

describe('org password policy form', () => {
  it('round-trips overrides, null meaning inherit', () => {
    const o = { ...inheritAll, passwordMinLength: 14, passwordRequireDigit: false, passwordRequireSymbol: true };
    const d = toDraft(o);
    expect(d.minLength).toBe(14);
    expect(d.bools.passwordRequireDigit).toBe('false');
    expect(d.bools.passwordRequireLowercase).toBe('inherit');
    expect(toPatch(d)).toEqual(o);
  });

  it('clears the minimum length when the field is empty', () => {
    const d = toDraft({ ...inheritAll, passwordMinLength: 10 });
    expect(toPatch({ ...d, minLength: '' }).passwordMinLength).toBeNull();
  });

  it('accepts whole numbers from 1 to 128, or nothing', () => {
    for (const ok of ['', 1, 14, 128, '20']) expect(minLengthProblem(ok)).toBeNull();
    for (const bad of [0, 129, -3, 7.5, 'x']) expect(minLengthProblem(bad)).toBe('range');
  });

  it('counts the overrides', () => {
    expect(overrideCount(inheritAll)).toBe(0);
    expect(overrideCount({ ...inheritAll, passwordMinLength: 14, passwordRequireUppercase: false })).toBe(2);
  });
});

describe('inheritedValue', () => {
  const global = { passwordMinLength: 12, passwordRequireLowercase: true, passwordRequireUppercase: false, passwordRequireDigit: true, passwordRequireSymbol: false };
  it('names the global value a field on "inherit" ends up with', () => {
    expect(inheritedValue(global, 'passwordMinLength', 'Required', 'Not required')).toBe('12');
    expect(inheritedValue(global, 'passwordRequireLowercase', 'Required', 'Not required')).toBe('Required');
    expect(inheritedValue(global, 'passwordRequireSymbol', 'Required', 'Not required')).toBe('Not required');
  });
  it('is unknown while the global settings are (a domain admin may not read them)', () => {
    expect(inheritedValue(null, 'passwordMinLength', 'Required', 'Not required')).toBeUndefined();
    expect(inheritedValue({}, 'passwordRequireDigit', 'Required', 'Not required')).toBeUndefined();
  });
});
