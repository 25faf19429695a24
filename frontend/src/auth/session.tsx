// Who is logged in. Loads /api/v1/me once at start; login, logout and a server answer of
// `unauthenticated` (on any call) move the app between the logged-in and logged-out states.
//
// A logged-in session is either full, or a restricted enrolment session: policy (or the user's
// own choice) wants 2FA and the account has no OTP entry yet, so the session may only set one
// up. Confirming that entry turns it into a full session (`enrolled`). A full session of an
// account whose password an administrator reset with a change required (`me.mustChangePassword`)
// may only change the password; `refresh` after the change lifts that.
import { notifications } from '@mantine/notifications';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type LoginOutcome, type Me, type SecondFactorMethod } from '../common/api';

/** A login whose password was right and that needs a second factor. */
export interface SecondFactorDue {
  challenge: string;
  /** What it can be answered with, the preferred first. */
  methods: SecondFactorMethod[];
  /** The days this browser may be remembered after the second factor (0: not offered). */
  rememberDays: number;
}

type State =
  | { status: 'loading' }
  | { status: 'anonymous'; expired?: boolean } // expired: the server ended a session we had
  | { status: 'error'; error: unknown }
  | { status: 'authenticated'; me: Me; enrolment: boolean };

export interface Session {
  state: State;
  /** The account, when logged in. */
  me: Me | null;
  /** True while the session may only enrol an OTP entry. */
  enrolment: boolean;
  /** True while the session may only change the password (after enrolment, if both apply). */
  passwordChange: boolean;
  /**
   * The password step. Resolves to the challenge, its methods and how long the browser may be
   * remembered when a second factor is needed (no session yet), or to null when logged in (fully,
   * or for enrolment only).
   */
  login(username: string, password: string): Promise<SecondFactorDue | null>;
  /** The second step of a login that needs one; `remember` remembers this browser. */
  secondFactor(challenge: string, code: string, remember?: boolean): Promise<void>;
  /** A login finished elsewhere (a passkey ceremony, auth/PasskeyLogin.tsx). */
  accept(outcome: LoginOutcome): void;
  /** An OTP entry was confirmed in an enrolment session: the server made it a full session. */
  enrolled(): void;
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
    const account = async () => {
      const me = await api.me();
      // GET /me does not say whether the session is an enrolment session: ask. If that fails
      // for another reason, the enrolment_required listener below still catches a restricted
      // session at its first refused call.
      const enrolment = await api.isEnrolmentSession().catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) throw error;
        return false;
      });
      return { me, enrolment };
    };
    account().then(
      ({ me, enrolment }) => setState({ status: 'authenticated', me, enrolment }),
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
        // Several calls can be refused at once: the first one decides whether a session ended.
        setState((prev) =>
          prev.status === 'anonymous' ? prev : { status: 'anonymous', expired: prev.status === 'authenticated' },
        );
      }),
    [],
  );
  // A call refused with enrolment_required: whatever we thought, this session only enrols.
  useEffect(
    () =>
      api.onEnrolmentRequired(() =>
        setState((prev) => (prev.status === 'authenticated' && !prev.enrolment ? { ...prev, enrolment: true } : prev)),
      ),
    [],
  );

  // A call refused with password_change_required: whatever we thought, the password must change.
  useEffect(
    () =>
      api.onPasswordChangeRequired(() =>
        setState((prev) =>
          prev.status === 'authenticated' && !prev.me.mustChangePassword
            ? { ...prev, me: { ...prev.me, mustChangePassword: true } }
            : prev,
        ),
      ),
    [],
  );

  const session = useMemo<Session>(() => {
    const loggedIn = (outcome: LoginOutcome): SecondFactorDue | null => {
      if (outcome.kind === 'second_factor')
        return { challenge: outcome.challenge, methods: outcome.methods, rememberDays: outcome.rememberDays };
      setState({ status: 'authenticated', me: outcome.account, enrolment: outcome.kind === 'enrolment' });
      return null;
    };
    return {
      state,
      me: state.status === 'authenticated' ? state.me : null,
      enrolment: state.status === 'authenticated' && state.enrolment,
      passwordChange: state.status === 'authenticated' && !state.enrolment && state.me.mustChangePassword,
      async login(username, password) {
        return loggedIn(await api.login({ username, password }));
      },
      async secondFactor(challenge, code, remember) {
        loggedIn(await api.secondFactor(challenge, code, remember));
      },
      accept(outcome) {
        loggedIn(outcome);
      },
      enrolled() {
        setState((prev) => (prev.status === 'authenticated' ? { ...prev, enrolment: false } : prev));
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
        setState((prev) => ({ status: 'authenticated', me, enrolment: prev.status === 'authenticated' && prev.enrolment }));
      },
      retry: load,
    };
  }, [state, load, signedOut]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
