// Who is logged in. Loads /api/v1/me once at start; login, logout and a server answer of
// `unauthenticated` (on any call) move the app between the logged-in and logged-out states.
import { notifications } from '@mantine/notifications';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type Me } from '../common/api';

type State =
  | { status: 'loading' }
  | { status: 'anonymous'; expired?: boolean } // expired: the server ended a session we had
  | { status: 'error'; error: unknown }
  | { status: 'authenticated'; me: Me };

export interface Session {
  state: State;
  /** The account, when logged in. */
  me: Me | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  logoutAll(): Promise<void>;
  /** Reloads the account (e.g. after a password change). */
  refresh(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    api.me().then(
      (me) => setState({ status: 'authenticated', me }),
      (error: unknown) =>
        setState(error instanceof ApiError && error.status === 401 ? { status: 'anonymous' } : { status: 'error', error }),
    );
  }, []);

  // Logged out: messages of the old session (e.g. "Password changed") must not linger.
  const signedOut = useCallback(() => {
    notifications.clean();
    setState({ status: 'anonymous' });
  }, []);

  useEffect(load, [load]);
  useEffect(
    () =>
      api.onUnauthenticated(() => {
        notifications.clean();
        setState((prev) => ({ status: 'anonymous', expired: prev.status === 'authenticated' }));
      }),
    [],
  );

  const session = useMemo<Session>(
    () => ({
      state,
      me: state.status === 'authenticated' ? state.me : null,
      async login(username, password) {
        const me = await api.login({ username, password });
        setState({ status: 'authenticated', me });
      },
      async logout() {
        // Whatever the server says, this browser is logged out afterwards.
        await api.logout().catch(() => undefined);
        signedOut();
      },
      async logoutAll() {
        await api.logoutAll();
        signedOut();
      },
      async refresh() {
        const me = await api.me();
        setState({ status: 'authenticated', me });
      },
      retry: load,
    }),
    [state, load, signedOut],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
