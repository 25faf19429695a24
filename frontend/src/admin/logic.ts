// Pure helpers of the Administration area: who may see it, what a credential row offers, the
// audit filters as the API takes them, and date-time inputs in local time.
import type { AuditQuery, Credential, Role } from '../common/api';
import { OTP_LOCK_AFTER } from '../otp/codes';

export function isAdmin(role: Role | undefined): boolean {
  return role === 'global_admin' || role === 'domain_admin';
}

/** Two lists hold the same names, in any order (the admin-domains field's "changed"). */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export type CredentialAction =
  | 'enable'
  | 'disable'
  | 'rename'
  | 'setExpiry'
  | 'clearExpiry'
  | 'narrowDoors'
  | 'resetFailed'
  | 'unlock'
  | 'delete';

/**
 * The limited edits a row offers, in menu order. A pending OTP entry is enabled only by its
 * owner's first code and its expiry is its discard time; a locked one is unlocked (which resets
 * its failed attempts), not enabled. An application passcode is only narrowed: its doors, and its
 * expiry brought forward, never cleared.
 */
export function credentialActions(
  c: Pick<Credential, 'kind' | 'status' | 'expiresAt' | 'failedAttempts'> & Partial<Pick<Credential, 'services'>>,
): CredentialAction[] {
  const out: CredentialAction[] = [];
  if (c.status === 'disabled') out.push('enable');
  if (c.status === 'enabled' || c.status === 'expired') out.push('disable');
  if (c.kind === 'otp' && c.status === 'locked') out.push('unlock');
  else if (c.kind === 'otp' && c.failedAttempts > 0) out.push('resetFailed');
  out.push('rename');
  if (c.status !== 'pending') {
    out.push('setExpiry');
    if (c.expiresAt && c.kind !== 'app_passcode') out.push('clearExpiry');
  }
  if (c.kind === 'app_passcode' && (c.services?.length ?? 0) > 1) out.push('narrowDoors');
  out.push('delete');
  return out;
}

/** "n / 10" for an OTP entry; null for other kinds (they do not lock). */
export function failedAttemptsText(c: Pick<Credential, 'kind' | 'failedAttempts'>): string | null {
  return c.kind === 'otp' ? `${c.failedAttempts} / ${OTP_LOCK_AFTER}` : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input (local time) as RFC 3339 UTC; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(date.getTime()) || date.getMonth() !== Number(mo) - 1) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface AuditFilters {
  account: string;
  actor: string;
  kind: string;
  /** datetime-local values */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { account: '', actor: '', kind: '', from: '', to: '' };

/** The filters as the API's query: trimmed, empty ones left out, times in RFC 3339. */
export function auditQuery(f: AuditFilters, page = 1): AuditQuery {
  const q: AuditQuery = {};
  const account = f.account.trim();
  const actor = f.actor.trim();
  const kind = f.kind.trim();
  if (account) q.account = account;
  if (actor) q.actor = actor;
  if (kind) q.kind = kind;
  const from = fromLocalInput(f.from);
  const to = fromLocalInput(f.to);
  if (from) q.from = from;
  if (to) q.to = to;
  if (page > 1) q.page = page;
  return q;
}

/** The audit API answers 100 events a page and no total: a full page may have a next one. */
export const AUDIT_PAGE_SIZE = 100;

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** Ranges of the settings as the API checks them (api-spec GlobalSettings, AdminCOS). */
export const LIMITS = {
  maxCredentialsPerKind: [1, 1000],
  pinCodesPerEntry: [4, 20],
  easHeartbeatSeconds: [10, 3540],
  easMaxDevicesPerAccount: [0, 1000],
  sessionLifetimeMinutes: [1, 43200],
  trustedBrowserDays: [0, 365],
} as const;

/** Whether v is a whole number in [lo, hi]. */
export function inRange(v: number | string | null | undefined, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/**
 * A COS limit typed in a form: empty inherits the global setting (null); a whole number in
 * range is the COS's own value; anything else is invalid (undefined).
 */
export function parseCosLimit(v: number | string, lo: number, hi: number): number | null | undefined {
  if (v === '' || v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return inRange(n, lo, hi) ? n : undefined;
}
