import { describe, expect, it } from 'vitest';
import { ACCOUNT_TRAIL_SIZE, auditHasNext, auditSlice } from './auditPaging';

describe('the account trail over the API pages', () => {
  it('cuts each API page of 100 into views of 20', () => {
    expect(ACCOUNT_TRAIL_SIZE).toBe(20);
    expect(auditSlice(1)).toEqual({ apiPage: 1, start: 0 });
    expect(auditSlice(2)).toEqual({ apiPage: 1, start: 20 });
    expect(auditSlice(5)).toEqual({ apiPage: 1, start: 80 });
    expect(auditSlice(6)).toEqual({ apiPage: 2, start: 0 });
    expect(auditSlice(12)).toEqual({ apiPage: 3, start: 20 });
  });

  it('offers a next page while there are more events, or the API page was full', () => {
    expect(auditHasNext(1, 0)).toBe(false);
    expect(auditHasNext(1, 20)).toBe(false);
    expect(auditHasNext(1, 21)).toBe(true);
    expect(auditHasNext(4, 99)).toBe(true);
    expect(auditHasNext(5, 99)).toBe(false);
    expect(auditHasNext(5, 100)).toBe(true); // the API may have a page 2
    expect(auditHasNext(6, 7)).toBe(false);
  });
});
