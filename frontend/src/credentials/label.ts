// Pure helpers of the credential sections: the label rules (mirroring the server's
// NormaliseLabel) and the grouping of a generated password for display.
import type { Credential, CredentialKind } from '../common/api';
import { charCount } from '../auth/passwordCheck';

/** The longest label, in characters (Unicode code points), as the server counts them. */
export const MAX_LABEL = 64;

export type LabelProblem = 'required' | 'too_long' | 'invalid_char';

// Go's unicode.IsSpace, which the server trims with (JS's trim() differs: it trims U+FEFF but
// not U+0085).
const EDGE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
// Control characters, the replacement character, lone surrogates (which reach the server as
// U+FFFD), and the bidirectional controls the server refuses (embeddings, overrides, isolates and
// marks: they would make a label display as something else).
const INVALID_CHAR = /[\p{Cc}\ufffd\p{Cs}\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

/** The label as the server stores it: trimmed and in Unicode NFC. */
export function normaliseLabel(raw: string): string {
  return raw.replace(EDGE_SPACE, '').normalize('NFC');
}

/** What is wrong with a label, or null when the server will take it. */
export function labelProblem(raw: string): LabelProblem | null {
  const label = normaliseLabel(raw);
  const n = charCount(label);
  if (n === 0) return 'required';
  if (n > MAX_LABEL) return 'too_long';
  if (INVALID_CHAR.test(label)) return 'invalid_char';
  return null;
}

/** "ABCD-EFGH-JKLM-NPQR" → ["ABCD", "EFGH", "JKLM", "NPQR"] (groups of 4, dashes dropped). */
export function passwordGroups(password: string): string[] {
  return password.replace(/[\s-]/g, '').match(/.{1,4}/gu) ?? [];
}

/** [a, b, c, d] → [[a, b], [c, d]]: where a password may wrap on a narrow screen. */
export function halves<T>(items: T[]): T[][] {
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)].filter((h) => h.length > 0);
}

/** The credentials of one kind, in the server's order (oldest first). */
export function ofKind(items: Credential[], kind: CredentialKind): Credential[] {
  return items.filter((c) => c.kind === kind);
}
