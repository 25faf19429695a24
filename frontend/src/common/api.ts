// The one typed client of the Tessera JSON API. Paths, bodies and responses are checked
// against the types generated from api-spec/openapi.yaml (see api-schema.d.ts).
import createClient from 'openapi-fetch';
import type { components, paths } from './api-schema';

type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type PasswordPolicy = Schemas['PasswordPolicy'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type WeakRule = ErrorDetail['rule'];
export type LoginRequest = Schemas['LoginRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type Credential = Schemas['Credential'];
export type CredentialKind = Schemas['CredentialKind'];
export type CredentialStatus = Credential['status'];
export type CredentialService = Credential['services'][number];
export type CreatedCredential = Schemas['CreatedCredential'];
export type PasscodeService = Schemas['PasscodeService'];
/** What an application passcode opens and for how long (absent: the server's defaults). */
export type PasscodeScope = Pick<Schemas['CreateCredentialRequest'], 'services' | 'expiresInDays'>;
export type CredentialSecret = Schemas['CredentialSecret'];
export type AppleProfile = Schemas['AppleProfile'];
export type LoginResponse = Schemas['LoginResponse'];
export type TwoFactor = Schemas['TwoFactor'];
/** The policy level that decides an account's 2FA (null: the user decides). */
export type LockLevel = NonNullable<TwoFactor['lockedBy']>;
export type Device = Schemas['Device'];
export type WebSession = Schemas['WebSession'];
export type TrustedBrowser = Schemas['TrustedBrowser'];
export type MailSettings = Schemas['MailSettings'];
export type MailServer = Schemas['MailServer'];
export type AdminAccount = Schemas['AdminAccount'];
export type AdminAccountPage = Schemas['AdminAccountPage'];
export type AdminAccountPatch = Schemas['AdminAccountPatch'];
export type AdminCredentialPatch = Schemas['AdminCredentialPatch'];
export type AuditPage = Schemas['AuditPage'];
export type AdminDomain = Schemas['AdminDomain'];
export type GlobalSettings = Schemas['GlobalSettings'];
export type AdminCOS = Schemas['AdminCOS'];
export type AdminDomainPatch = Schemas['AdminDomainPatch'];
export type DomainDNS = Schemas['DomainDNS'];
export type DNSRecord = Schemas['DNSRecord'];
export type AdminCOSPatch = Schemas['AdminCOSPatch'];
export type HeldDevice = Schemas['HeldDevice'];
export type DeviceRule = Schemas['DeviceRule'];
export type DeviceRuleCreate = Schemas['DeviceRuleCreate'];
export type DeviceAccess = GlobalSettings['deviceAccess'];
/** A decision on one device (tessera mobile allowDevice, blockDevice, doSuspendDevice, doResumeDevice). */
export type DeviceDecision = 'allow' | 'block' | 'suspend' | 'resume';
export type AuditEvent = AuditPage['items'][number];
export type Role = Me['role'];
export type AccountStatus = Me['status'];
/** The filters of GET /api/v1/admin/audit (times in RFC 3339). */
export type AuditQuery = Omit<NonNullable<paths['/api/v1/admin/audit']['get']['parameters']['query']>, 'format'>;
export type Paper = NonNullable<NonNullable<paths['/api/v1/credentials/{id}/pin-sheet']['post']['parameters']['query']>['paper']>;

/**
 * What the password step of a login led to: a full session, a second factor to ask for (no
 * session yet), or a restricted session that may only enrol an OTP entry.
 */
export type LoginOutcome =
  | { kind: 'session'; account: Me }
  | { kind: 'second_factor'; challenge: string; methods: SecondFactorMethod[]; rememberDays: number }
  | { kind: 'enrolment'; account: Me };

/** What the second step of a login can be answered with, the preferred first. */
export type SecondFactorMethod = NonNullable<LoginResponse['methods']>[number];
/** A WebAuthn ceremony begun by the server: its id and the options for navigator.credentials. */
export type PasskeyOptions = Schemas['PasskeyOptions'];
/** A PublicKeyCredential as JSON (what the browser answered). */
export type PasskeyCredentialJSON = Schemas['PasskeyFinishRequest']['credential'];

export const CSRF_COOKIE = 'tessera_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const LOGIN_PATH = '/api/v1/auth/login';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A failed API call: the HTTP status and the `error` object of the body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Seconds from the Retry-After header (429), when the server sent one. */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/** The value of cookie `name` in a `document.cookie` string. */
export function readCookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** Retry-After is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - now) / 1000));
}

function codeForStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'too_many_attempts';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'unknown';
}

/** Turns a non-2xx response (and its body, parsed when it was JSON) into an ApiError. */
export function toApiError(response: Response, body: unknown): ApiError {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const err = (body as { error?: Partial<Schemas['Error']['error']> } | undefined)?.error;
  if (err && typeof err.code === 'string' && err.code) {
    const details = Array.isArray(err.details) ? err.details : [];
    return new ApiError(response.status, err.code, err.message ?? '', details, retryAfter);
  }
  return new ApiError(response.status, codeForStatus(response.status), '', [], retryAfter);
}

export interface ApiOptions {
  /** Prefix of every URL; '' in the browser (same origin). */
  baseUrl?: string;
  /** Where cookies are read from; `document.cookie` in the browser. */
  cookies?: () => string;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Reads the answer of the login or second-factor step. */
export function loginOutcome(r: LoginResponse | undefined): LoginOutcome {
  if (r?.twoFactorRequired && r.enrolmentRequired && r.account) return { kind: 'enrolment', account: r.account };
  if (r?.twoFactorRequired && r.challenge)
    return { kind: 'second_factor', challenge: r.challenge, methods: r.methods?.length ? r.methods : ['otp'], rememberDays: r.rememberDays ?? 0 };
  if (r?.account && !r.twoFactorRequired) return { kind: 'session', account: r.account };
  throw new ApiError(200, 'unknown', 'unexpected login answer');
}

export function createApi(options: ApiOptions = {}) {
  const cookies = options.cookies ?? (() => (typeof document === 'undefined' ? '' : document.cookie));
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    // Looked up at call time so that tests can stub globalThis.fetch.
    fetch: (request: Request) => globalThis.fetch(request),
    credentials: 'same-origin',
  });
  client.use({
    onRequest({ request }) {
      if (!UNSAFE_METHODS.has(request.method) || new URL(request.url).pathname === LOGIN_PATH) return;
      const token = readCookie(cookies(), CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  });

  const unauthenticatedListeners = new Set<() => void>();
  const enrolmentListeners = new Set<() => void>();
  const passwordChangeListeners = new Set<() => void>();

  async function call<T>(pending: Promise<Result<T>>): Promise<T> {
    let result: Result<T>;
    try {
      result = await pending;
    } catch (cause) {
      // fetch rejected (no network), or a 2xx body was not the JSON it should be.
      const code = cause instanceof SyntaxError ? 'unknown' : 'network';
      throw new ApiError(0, code, cause instanceof Error ? cause.message : String(cause));
    }
    if (result.response.ok) return result.data as T;
    const error = toApiError(result.response, result.error);
    if (error.code === 'unauthenticated') unauthenticatedListeners.forEach((fn) => fn());
    if (error.code === 'enrolment_required') enrolmentListeners.forEach((fn) => fn());
    if (error.code === 'password_change_required') passwordChangeListeners.forEach((fn) => fn());
    throw error;
  }

  return {
    /** Called whenever the server answers `unauthenticated` (the session is gone). */
    onUnauthenticated(fn: () => void): () => void {
      unauthenticatedListeners.add(fn);
      return () => unauthenticatedListeners.delete(fn);
    },
    /** Called whenever the server answers `enrolment_required` (this session may only enrol an OTP entry). */
    onEnrolmentRequired(fn: () => void): () => void {
      enrolmentListeners.add(fn);
      return () => enrolmentListeners.delete(fn);
    },
    /**
     * Called whenever the server answers `password_change_required` (an administrator's reset
     * holds this session to changing the password).
     */
    onPasswordChangeRequired(fn: () => void): () => void {
      passwordChangeListeners.add(fn);
      return () => passwordChangeListeners.delete(fn);
    },
    /** The password step of a login. */
    login: (body: LoginRequest) => call(client.POST(LOGIN_PATH, { body })).then(loginOutcome),
    /**
     * The second step: a TOTP code or a PIN code for the challenge of the password step;
     * `remember` asks the server to remember this browser (it then skips this step).
     */
    secondFactor: (challenge: string, code: string, remember = false) =>
      call(client.POST('/api/v1/auth/login/second-factor', { body: { challenge, code, ...(remember ? { remember } : {}) } })).then(
        loginOutcome,
      ),
    /** Passkeys: begin and finish each ceremony (the browser's part is in auth/webauthn.ts). */
    passkeys: {
      beginEnrol: () => call(client.POST('/api/v1/passkeys/register/begin')),
      finishEnrol: (ceremony: string, label: string, credential: PasskeyCredentialJSON) =>
        call(client.POST('/api/v1/passkeys/register/finish', { body: { ceremony, label, credential } })).then((r) => r.credential),
      /** The second step of a login answered with a passkey. */
      beginFactor: (challenge: string) => call(client.POST('/api/v1/auth/login/passkey/begin', { body: { challenge } })),
      finishFactor: (challenge: string, ceremony: string, credential: PasskeyCredentialJSON, remember = false) =>
        call(
          client.POST('/api/v1/auth/login/passkey/finish', { body: { challenge, ceremony, credential, ...(remember ? { remember } : {}) } }),
        ).then(loginOutcome),
      /** A sign-in with a passkey alone. */
      beginLogin: () => call(client.POST('/api/v1/auth/passkey/begin')),
      finishLogin: (ceremony: string, credential: PasskeyCredentialJSON) =>
        call(client.POST('/api/v1/auth/passkey/finish', { body: { ceremony, credential } })).then(loginOutcome),
    },
    logout: () => call(client.POST('/api/v1/auth/logout')),
    logoutAll: () => call(client.POST('/api/v1/auth/logout-all')),
    me: () => call(client.GET('/api/v1/me')),
    passwordPolicy: () => call(client.GET('/api/v1/me/password-policy')),
    /**
     * Whether this session is a restricted enrolment session. GET /api/v1/me does not say, so
     * this asks the cheapest read that only a full session may make: an enrolment session gets
     * 403 `enrolment_required`.
     */
    isEnrolmentSession: () =>
      call(client.GET('/api/v1/me/password-policy')).then(
        () => false,
        (err: unknown) => {
          if (err instanceof ApiError && err.code === 'enrolment_required') return true;
          throw err;
        },
      ),
    /** The effective 2FA state and the policy level that locks it, if any. */
    twoFactor: () => call(client.GET('/api/v1/me/two-factor')),
    setTwoFactor: (enabled: boolean) => call(client.PUT('/api/v1/me/two-factor', { body: { enabled } })),
    /** What to type into a desktop mail app: the mail doors that are on and their certificate. */
    mailSettings: () => call(client.GET('/api/v1/me/mail-settings')),
    /** The caller's Exchange ActiveSync devices, most recently synced first. */
    myDevices: () => call(client.GET('/api/v1/me/devices')).then((r) => r.items),
    /** Asks one of the caller's devices to wipe itself: only this account's data, or the whole phone. */
    wipeMyDevice: (deviceId: string, scope: 'device' | 'account') =>
      call(client.POST('/api/v1/me/devices/{deviceId}/wipe', { params: { path: { deviceId } }, body: { scope } })),
    /** Where the caller is signed in on the web; its own session has `current`. */
    mySessions: () => call(client.GET('/api/v1/me/sessions')).then((r) => r.items),
    /** Ends one web session; ending the current one is a logout. */
    /** The caller's remembered browsers (they skip the second factor). */
    myTrustedBrowsers: () => call(client.GET('/api/v1/me/trusted-browsers')).then((r) => r.items),
    forgetMyTrustedBrowser: (id: number) => call(client.DELETE('/api/v1/me/trusted-browsers/{id}', { params: { path: { id } } })),
    endMySession: (id: number) => call(client.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
    changePassword: (body: ChangePasswordRequest) => call(client.PUT('/api/v1/me/password', { body })),
    /** Sets the caller's recovery address ("" clears it); answers the account as /me does. */
    setRecoveryEmail: (recoveryEmail: string) => call(client.PUT('/api/v1/me/recovery-email', { body: { recoveryEmail } })),
    /** Every credential of the caller, of every kind (never a secret). */
    listCredentials: () => call(client.GET('/api/v1/credentials')).then((r) => r.items),
    /**
     * Creates a credential; the response holds its secret, which no other call returns. `scope`:
     * an application passcode's doors and lifetime. With `appleProfile` (EAS passwords,
     * application passcodes) it also holds a one-time Apple configuration profile with that
     * secret, which can only be made now.
     */
    createCredential: (kind: CredentialKind, label: string, scope?: PasscodeScope, appleProfile = false) =>
      call(client.POST('/api/v1/credentials', { body: { kind, label, ...scope, ...(appleProfile ? { appleProfile } : {}) } })),
    /** Downloads (once) the Apple configuration profile made with a credential. */
    appleProfile: (token: string) =>
      call(client.GET('/api/v1/me/apple-profiles/{token}', { params: { path: { token } }, parseAs: 'blob' })) as Promise<Blob>,
    /** New PIN codes for an OTP entry; its unused ones stop at once. The codes are in this response only. */
    renewPinCodes: (id: number) => call(client.POST('/api/v1/credentials/{id}/pin-codes', { params: { path: { id } } })),
    deleteCredential: (id: number) =>
      call(client.DELETE('/api/v1/credentials/{id}', { params: { path: { id } } })),
    /** Enables a pending OTP entry with a code from the authenticator app. */
    confirmOtp: (id: number, code: string) =>
      call(client.POST('/api/v1/credentials/{id}/confirm', { params: { path: { id } }, body: { code } })).then(
        (r) => r.credential,
      ),
    /** The printable PDF of PIN codes the page still holds from the creation of entry `id`. */
    pinSheet: (id: number, pinCodes: string[], paper: Paper) =>
      call(
        client.POST('/api/v1/credentials/{id}/pin-sheet', {
          params: { path: { id }, query: { paper } },
          body: { pinCodes },
          parseAs: 'blob',
        }),
      ) as Promise<Blob>,

    // Administration (admins only: a user gets 403, an account outside a domain admin's domain 404).
    admin: {
      accounts: (query: { q?: string; domain?: string; page?: number }) =>
        call(client.GET('/api/v1/admin/accounts', { params: { query } })),
      account: (email: string) => call(client.GET('/api/v1/admin/accounts/{email}', { params: { path: { email } } })),
      patchAccount: (email: string, body: AdminAccountPatch) =>
        call(client.PATCH('/api/v1/admin/accounts/{email}', { params: { path: { email } }, body })),
      endSessions: (email: string) =>
        call(client.POST('/api/v1/admin/accounts/{email}/logout-all', { params: { path: { email } } })),
      sessions: (email: string) =>
        call(client.GET('/api/v1/admin/accounts/{email}/sessions', { params: { path: { email } } })).then((r) => r.items),
      endSession: (email: string, id: number) =>
        call(client.DELETE('/api/v1/admin/accounts/{email}/sessions/{id}', { params: { path: { email, id } } })),
      trustedBrowsers: (email: string) =>
        call(client.GET('/api/v1/admin/accounts/{email}/trusted-browsers', { params: { path: { email } } })).then((r) => r.items),
      forgetTrustedBrowser: (email: string, id: number) =>
        call(client.DELETE('/api/v1/admin/accounts/{email}/trusted-browsers/{id}', { params: { path: { email, id } } })),
      credentials: (email: string) =>
        call(client.GET('/api/v1/admin/accounts/{email}/credentials', { params: { path: { email } } })).then((r) => r.items),
      /** An EAS password or application passcode for the user; the response holds its secret, once. */
      createCredential: (email: string, kind: 'eas' | 'app_passcode', label: string) =>
        call(client.POST('/api/v1/admin/accounts/{email}/credentials', { params: { path: { email } }, body: { kind, label } })),
      patchCredential: (id: number, body: AdminCredentialPatch) =>
        call(client.PATCH('/api/v1/admin/credentials/{id}', { params: { path: { id } }, body })),
      deleteCredential: (id: number) => call(client.DELETE('/api/v1/admin/credentials/{id}', { params: { path: { id } } })),
      devices: (email: string) =>
        call(client.GET('/api/v1/admin/accounts/{email}/devices', { params: { path: { email } } })).then((r) => r.items),
      resetDevice: (email: string, deviceId: string) =>
        call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/reset', { params: { path: { email, deviceId } } })),
      wipeDevice: (email: string, deviceId: string, scope: 'device' | 'account') =>
        call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/wipe', { params: { path: { email, deviceId } }, body: { scope } })),
      removeDevice: (email: string, deviceId: string) =>
        call(client.DELETE('/api/v1/admin/accounts/{email}/devices/{deviceId}', { params: { path: { email, deviceId } } })),
      decideDevice: (email: string, deviceId: string, decision: DeviceDecision) => {
        const params = { params: { path: { email, deviceId } } };
        switch (decision) {
          case 'allow':
            return call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/allow', params));
          case 'block':
            return call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/block', params));
          case 'suspend':
            return call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/suspend', params));
          case 'resume':
            return call(client.POST('/api/v1/admin/accounts/{email}/devices/{deviceId}/resume', params));
        }
      },
      /** Devices awaiting approval, of the accounts the administrator covers, oldest first. */
      quarantine: () => call(client.GET('/api/v1/admin/devices/quarantine')).then((r) => r.items),
      /** One level's device rules in order; no domain: the global ones. */
      deviceRules: (domain?: string) =>
        call(client.GET('/api/v1/admin/device-rules', { params: { query: domain ? { domain } : {} } })).then((r) => r.items),
      addDeviceRule: (body: DeviceRuleCreate) => call(client.POST('/api/v1/admin/device-rules', { body })),
      removeDeviceRule: (id: number) => call(client.DELETE('/api/v1/admin/device-rules/{id}', { params: { path: { id } } })),
      /**
       * A generated password, shown once (the API answers 200 with it when none is given); with
       * requireChange the user must choose a new one at the next login.
       */
      resetPassword: (email: string, requireChange: boolean) =>
        call(
          client.POST('/api/v1/admin/accounts/{email}/password', { params: { path: { email } }, body: { requireChange } }),
        ) as Promise<{ password: string }>,
      settings: () => call(client.GET('/api/v1/admin/settings')),
      /** All or nothing: one refused value changes nothing. */
      patchSettings: (body: GlobalSettings) => call(client.PATCH('/api/v1/admin/settings', { body })),
      domains: () => call(client.GET('/api/v1/admin/domains')).then((r) => r.items),
      createDomain: (name: string) => call(client.POST('/api/v1/admin/domains', { body: { name } })),
      patchDomain: (name: string, body: AdminDomainPatch) =>
        call(client.PATCH('/api/v1/admin/domains/{name}', { params: { path: { name } }, body })),
      deleteDomain: (name: string) => call(client.DELETE('/api/v1/admin/domains/{name}', { params: { path: { name } } })),
      domainDns: (name: string) => call(client.GET('/api/v1/admin/domains/{name}/dns', { params: { path: { name } } })),
      cosList: () => call(client.GET('/api/v1/admin/cos')).then((r) => r.items),
      createCos: (name: string) => call(client.POST('/api/v1/admin/cos', { body: { name } })),
      patchCos: (name: string, body: AdminCOSPatch) =>
        call(client.PATCH('/api/v1/admin/cos/{name}', { params: { path: { name } }, body })),
      deleteCos: (name: string) => call(client.DELETE('/api/v1/admin/cos/{name}', { params: { path: { name } } })),
      audit: (query: AuditQuery) =>
        call(client.GET('/api/v1/admin/audit', { params: { query } })).then((r) => r as AuditPage),
      /** The same events as CSV (every filter applies). */
      auditCsv: (query: AuditQuery) =>
        call(
          client.GET('/api/v1/admin/audit', { params: { query: { ...query, format: 'csv' } }, parseAs: 'blob' }),
        ) as Promise<Blob>,
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** The app's client. */
export const api: Api = createApi();
