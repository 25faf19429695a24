// The kinds of audit event, with their readable names, for the Kind filter and column. The server
// records them (backend/internal/audit and a few callers); auditKinds.test.ts reads the Go source
// and fails when a kind is recorded there that is not named here, or named here and gone there.
import { strings } from '../common/strings';

const names: Record<string, string> = strings.admin.audit.kinds;

/**
 * Kinds that older versions recorded and this one no longer does: old rows still carry them, so
 * they keep their names (and stay in the filter). `tessera mobile doResetAccount` now records
 * `device_reset`, as the admin API does.
 */
export const FORMER_KINDS: readonly string[] = ['account_devices_reset'];

/** Every kind the server records, and those it once recorded (FORMER_KINDS). */
export const AUDIT_KINDS: readonly string[] = Object.keys(names);

/** The readable name of a kind; an unknown one (a newer server) is shown as it is. */
export function auditKindName(kind: string): string {
  return Object.hasOwn(names, kind) ? names[kind] : kind;
}

/** The options of the Kind filter, by readable name. */
export function auditKindOptions(): { value: string; label: string }[] {
  return AUDIT_KINDS.map((value) => ({ value, label: names[value] })).sort((a, b) => a.label.localeCompare(b.label));
}
