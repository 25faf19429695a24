import { describe, expect, it } from 'vitest';
import { formatDate, formatDateCompact, formatDateParts } from './format';

describe('formatDate', () => {
  it('shows a date and a time in the given locale', () => {
    const out = formatDate('2024-03-05T14:07:00Z', 'en-GB');
    expect(out).toMatch(/2024/);
    expect(out).toMatch(/Mar/);
  });

  it('gives back what is not a date', () => {
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('formatDateCompact', () => {
  it('is a numeric date with the full year and a time, in at most 20 characters', () => {
    const at = '2024-03-05T14:07:00Z';
    expect(formatDateCompact(at, 'en-GB').replace(/\d\d:\d\d$/, '')).toBe('05/03/2024, ');
    for (const locale of ['en-GB', 'en-US', 'de-DE', 'fr-FR']) {
      const out = formatDateCompact(at, locale);
      expect(out, locale).not.toMatch(/Mar/);
      expect(out, locale).toMatch(/2024/);
      expect(out.length, locale).toBeLessThanOrEqual(20);
    }
  });

  it('gives back what is not a date', () => {
    expect(formatDateCompact('not a date')).toBe('not a date');
  });
});

describe('formatDateParts', () => {
  it('splits the compact date into its date and its time', () => {
    expect(formatDateParts('2024-03-05T14:07:00Z', 'en-GB')?.date).toBe('05/03/2024');
    expect(formatDateParts('2024-03-05T14:07:00Z', 'en-GB')?.time).toMatch(/^\d\d:07$/);
    expect(formatDateParts('not a date')).toBeNull();
  });
});
