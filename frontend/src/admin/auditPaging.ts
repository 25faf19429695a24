// The account page's audit trail shows a short page (ACCOUNT_TRAIL_SIZE events) cut out of the
// API's pages of AUDIT_PAGE_SIZE: the trail sits below the credentials and devices, where a
// hundred rows at once were one endless list.
import { AUDIT_PAGE_SIZE } from './logic';

export const ACCOUNT_TRAIL_SIZE = 20;

/** Which API page holds view page `view` (from 1), and where in it that view starts. */
export function auditSlice(view: number, perView = ACCOUNT_TRAIL_SIZE): { apiPage: number; start: number } {
  const perApiPage = Math.max(1, Math.floor(AUDIT_PAGE_SIZE / perView));
  return { apiPage: Math.floor((view - 1) / perApiPage) + 1, start: ((view - 1) % perApiPage) * perView };
}

/**
 * Whether a view page follows `view`, given how many events its API page held: more events on
 * that page, or a full API page (the API gives no total, so a full page may have a next one).
 */
export function auditHasNext(view: number, apiItems: number, perView = ACCOUNT_TRAIL_SIZE): boolean {
  const { start } = auditSlice(view, perView);
  return apiItems > start + perView || (apiItems >= AUDIT_PAGE_SIZE && start + perView >= AUDIT_PAGE_SIZE);
}
