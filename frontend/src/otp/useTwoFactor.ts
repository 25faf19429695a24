// The account's effective 2FA state (GET /api/v1/me/two-factor): on or off, and the policy level
// that locks it, if any.
import { useCallback } from 'react';
import { api, type TwoFactor } from '../common/api';
import { useLoad, type Load } from '../common/load';

export type TwoFactorState = Load<TwoFactor>;

export function useTwoFactor() {
  const { state, reload, set } = useLoad(() => api.twoFactor(), []);
  // Always a loud reload (a click's event is no `quiet` argument); set: the server's answer to a change.
  const load = useCallback(() => reload(), [reload]);
  return { state, reload: load, set };
}
