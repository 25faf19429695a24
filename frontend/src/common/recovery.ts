// The recovery address's check before it is sent: the same rules as the server's (a plain
// address with a domain name, not the account's own), so that the form says at once what is
// wrong; the server checks again and its answer is shown when it differs.
import { strings } from './strings';

const plain = /^[!#$%&'*+/=?^_`{|}~a-z0-9.-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** Why addr cannot be the recovery address of own, or null when it can ("" clears it). */
export function recoveryProblem(own: string, addr: string): string | null {
  const a = addr.trim();
  if (a === '') return null;
  if (!plain.test(a) || a.length > 254) return strings.password.recovery.invalid;
  if (a.toLowerCase() === own.toLowerCase()) return strings.password.recovery.own;
  return null;
}
