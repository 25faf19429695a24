// The account's effective 2FA state (GET /api/v1/me/two-factor): on or off, and the policy level
// that locks it, if any.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type TwoFactor } from '../common/api';

export type TwoFactorState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; value: TwoFactor };

export function useTwoFactor() {
  const [state, setState] = useState<TwoFactorState>({ status: 'loading' });
  const latest = useRef(0);

  const load = useCallback(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    api.twoFactor().then(
      (value) => request === latest.current && setState({ status: 'ready', value }),
      (error: unknown) => request === latest.current && setState({ status: 'error', error }),
    );
  }, []);

  useEffect(() => {
    load();
    return () => {
      latest.current++;
    };
  }, [load]);

  /** The state the server answered a change with. */
  const set = useCallback((value: TwoFactor) => {
    latest.current++;
    setState({ status: 'ready', value });
  }, []);

  return { state, reload: load, set };
}
