import { describe, expect, it } from 'vitest';
import { formatDate } from './format';

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
