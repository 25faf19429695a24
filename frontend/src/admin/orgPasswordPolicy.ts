// The password-policy overrides of a domain or COS as a form edits them: each field is set or
// inherits (null in the API); the form validates the minimum length as the API does.
import type { AdminCOS, GlobalSettings } from '../common/api';

export const MIN_LENGTH_RANGE: [number, number] = [1, 128];

export const BOOL_KEYS = ['passwordRequireLowercase', 'passwordRequireUppercase', 'passwordRequireDigit', 'passwordRequireSymbol'] as const;
export type BoolKey = (typeof BOOL_KEYS)[number];

/** The overrides a domain and a COS both have. */
export type Overrides = Pick<AdminCOS, 'passwordMinLength' | BoolKey>;

/** A yes/no override or "inherit". */
export type Tri = 'inherit' | 'true' | 'false';

export interface PolicyDraft {
  minLength: string | number; // '' inherits
  bools: Record<BoolKey, Tri>;
}

export type PolicyPatch = { passwordMinLength: number | null } & Record<BoolKey, boolean | null>;

const toTri = (v: boolean | null | undefined): Tri => (v == null ? 'inherit' : v ? 'true' : 'false');
const fromTri = (t: Tri): boolean | null => (t === 'inherit' ? null : t === 'true');

export function toDraft(o: Overrides): PolicyDraft {
  const bools = Object.fromEntries(BOOL_KEYS.map((k) => [k, toTri(o[k])])) as Record<BoolKey, Tri>;
  return { minLength: o.passwordMinLength ?? '', bools };
}

/** Why the minimum length cannot be saved, or null when it can (empty: inherit). */
export function minLengthProblem(v: string | number): 'range' | null {
  if (v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  const [lo, hi] = MIN_LENGTH_RANGE;
  return Number.isInteger(n) && n >= lo && n <= hi ? null : 'range';
}

/** The PATCH body: every override, null for those that inherit. */
export function toPatch(d: PolicyDraft): PolicyPatch {
  const bools = Object.fromEntries(BOOL_KEYS.map((k) => [k, fromTri(d.bools[k])])) as Record<BoolKey, boolean | null>;
  return { passwordMinLength: d.minLength === '' ? null : Number(d.minLength), ...bools };
}

/** How many fields the level sets (0: it inherits everything). */
export function overrideCount(o: Overrides): number {
  return [o.passwordMinLength, ...BOOL_KEYS.map((k) => o[k])].filter((v) => v != null).length;
}

/** The global rules, which a field left on "inherit" ends up with when no level between sets it. */
export type GlobalPolicy = Pick<GlobalSettings, 'passwordMinLength' | BoolKey>;

/**
 * What a field on "inherit" takes, as text (undefined while unknown: a domain admin may not read
 * the global settings). A domain inherits the global value; a COS the value of the account's
 * domain, else the global one, so only the global value can be named.
 */
export function inheritedValue(global: GlobalPolicy | null, key: 'passwordMinLength' | BoolKey, yes: string, no: string): string | undefined {
  const v = global?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? yes : no;
  return String(v);
}
