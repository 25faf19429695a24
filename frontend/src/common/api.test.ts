import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, loginOutcome, parseRetryAfter, readCookie, type Me } from './api';
import { errorMessage, weakPasswordReasons } from './errors';
import { strings } from './strings';

const me = {
  id: 1, email: 'admin@example.com', domain: 'example.com', role: 'global_admin', cos: null,
  status: 'active', twoFactorEnabled: false, createdAt: '2024-01-01T00:00:00Z', passwordChangedAt: null,
  mustChangePassword: false,
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}
function apiError(status: number, code: string, message = 'server says', details?: unknown[], headers = {}) {
  return json(status, { error: { code, message, ...(details ? { details } : {}) } }, headers);
}

let fetchMock: ReturnType<typeof vi.fn>;
let cookie = '';
const api = createApi({ baseUrl: 'http://tessera.test', cookies: () => cookie });

function lastRequest(): Request {
  return fetchMock.mock.calls.at(-1)![0] as Request;
}
async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  cookie = 'theme=dark; tessera_csrf=tok%2Ben; other=1';
});
afterEach(() => vi.unstubAllGlobals());

describe('CSRF header', () => {
  it('is sent on state-changing calls with the cookie value', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.changePassword({ currentPassword: 'a', newPassword: 'b' });
    const req = lastRequest();
    expect(req.method).toBe('PUT');
    expect(new URL(req.url).pathname).toBe('/api/v1/me/password');
    expect(req.headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(await req.json()).toEqual({ currentPassword: 'a', newPassword: 'b' });

    await api.logout();
    expect(lastRequest().headers.get('X-CSRF-Token')).toBe('tok+en');
    await api.logoutAll();
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/auth/logout-all');
    expect(lastRequest().headers.get('X-CSRF-Token')).toBe('tok+en');
  });

  it('is not sent on GET or on login', async () => {
    fetchMock.mockResolvedValueOnce(json(200, me));
    expect(await api.me()).toEqual(me);
    expect(lastRequest().headers.has('X-CSRF-Token')).toBe(false);

    fetchMock.mockResolvedValueOnce(json(200, { account: me }));
    expect(await api.login({ username: 'admin@example.com', password: 'pw' })).toEqual({ kind: 'session', account: me });
    expect(lastRequest().method).toBe('POST');
    expect(lastRequest().headers.has('X-CSRF-Token')).toBe(false);
  });

  it('is left out when there is no cookie', async () => {
    cookie = '';
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.logout();
    expect(lastRequest().headers.has('X-CSRF-Token')).toBe(false);
  });
});

describe('errors', () => {
  it('carries code, message and details of the error body', async () => {
    fetchMock.mockResolvedValue(apiError(400, 'weak_password', 'weak', [{ rule: 'common_password' }, { rule: 'digit' }]));
    const err = await rejection(api.changePassword({ currentPassword: 'a', newPassword: 'password' }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('weak_password');
    expect(err.details.map((d) => d.rule)).toEqual(['common_password', 'digit']);
    expect(weakPasswordReasons(err)).toEqual([strings.weakRules.common_password, strings.weakRules.digit]);
    expect(errorMessage(err)).toBe(strings.errors.weak_password);
  });

  it('maps invalid_credentials to the generic login message, or an override', async () => {
    fetchMock.mockResolvedValue(apiError(401, 'invalid_credentials'));
    const err = await rejection(api.login({ username: 'x', password: 'y' }));
    expect(errorMessage(err)).toBe('Wrong username or password');
    expect(errorMessage(err, { invalid_credentials: 'nope' })).toBe('nope');
  });

  it('reads Retry-After on 429 and says how long to wait', async () => {
    fetchMock.mockResolvedValue(apiError(429, 'too_many_attempts', 'slow down', undefined, { 'Retry-After': '90' }));
    const err = await rejection(api.login({ username: 'x', password: 'y' }));
    expect(err.retryAfter).toBe(90);
    expect(errorMessage(err)).toBe('Too many attempts. Try again in 2 minutes.');
  });

  it('shows the server message for an unknown code', async () => {
    fetchMock.mockResolvedValue(apiError(409, 'brand_new_code', 'Something specific happened.'));
    expect(errorMessage(await rejection(api.me()))).toBe('Something specific happened.');
  });

  it('derives a code from the status when the body is not an API error', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 502 }));
    const err = await rejection(api.me());
    expect(err.code).toBe('unavailable');
    expect(errorMessage(err)).toBe(strings.errors.unavailable);
  });

  it('turns a network failure into code network', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const err = await rejection(api.me());
    expect(err.code).toBe('network');
    expect(errorMessage(err)).toBe(strings.errors.network);
  });

  it('tells listeners when the session is gone, and only then', async () => {
    const seen: string[] = [];
    const off = api.onUnauthenticated(() => seen.push('gone'));
    fetchMock.mockResolvedValueOnce(apiError(401, 'invalid_credentials'));
    await rejection(api.changePassword({ currentPassword: 'bad', newPassword: 'x' }));
    expect(seen).toEqual([]);
    fetchMock.mockResolvedValueOnce(apiError(401, 'unauthenticated'));
    await rejection(api.me());
    expect(seen).toEqual(['gone']);
    off();
    fetchMock.mockResolvedValueOnce(apiError(401, 'unauthenticated'));
    await rejection(api.me());
    expect(seen).toEqual(['gone']);
  });

  it('words the codes of 2FA', () => {
    const e = (code: string, status = 401) => new ApiError(status, code, 'server says');
    expect(errorMessage(e('invalid_code'))).toBe(strings.errors.invalid_code);
    expect(errorMessage(e('invalid_code'))).toMatch(/^That code is not valid/);
    expect(errorMessage(e('challenge_expired'))).toBe('This login has expired. Enter your password again.');
    expect(errorMessage(e('no_otp', 409))).toBe(strings.errors.no_otp);
    expect(errorMessage(e('enrolment_required', 403))).toBe(strings.errors.enrolment_required);
  });

  it('tells listeners when the session may only enrol an OTP entry', async () => {
    const seen: string[] = [];
    const off = api.onEnrolmentRequired(() => seen.push('enrol'));
    fetchMock.mockResolvedValueOnce(apiError(403, 'forbidden'));
    await rejection(api.myDevices());
    expect(seen).toEqual([]);
    fetchMock.mockResolvedValueOnce(apiError(403, 'enrolment_required'));
    await rejection(api.myDevices());
    expect(seen).toEqual(['enrol']);
    off();
  });

  it('tells listeners when the session may only change its password', async () => {
    const seen: string[] = [];
    const off = api.onPasswordChangeRequired(() => seen.push('change'));
    fetchMock.mockResolvedValueOnce(apiError(403, 'enrolment_required'));
    await rejection(api.myDevices());
    expect(seen).toEqual([]);
    fetchMock.mockResolvedValueOnce(apiError(403, 'password_change_required'));
    const err = await rejection(api.myDevices());
    expect(seen).toEqual(['change']);
    expect(errorMessage(err)).toBe(strings.errors.password_change_required);
    off();
  });

  it('sends whether an admin reset requires a change', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { password: 'generated-once' }));
    expect(await api.admin.resetPassword('bob@example.com', true)).toEqual({ password: 'generated-once' });
    expect(lastRequest().url).toMatch(/\/api\/v1\/admin\/accounts\/bob%40example\.com\/password$|\/api\/v1\/admin\/accounts\/bob@example\.com\/password$/);
    expect(await lastRequest().json()).toEqual({ requireChange: true });
  });

  it('shows the server message for a code whose words are null, and for an unknown code', () => {
    const inUse = new ApiError(409, 'in_use', 'It still has accounts; move or delete them first.');
    expect(errorMessage(inUse)).toBe('It still has accounts; move or delete them first.');
    expect(errorMessage(new ApiError(400, 'from_a_newer_server', 'server says'))).toBe('server says');
  });

  it('gives a non-ApiError the generic message', () => {
    expect(errorMessage(new Error('gone'))).toBe(strings.errors.unknown);
  });
});

describe('login', () => {
  it('a login without 2FA is a session', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { account: me }));
    expect(await api.login({ username: 'x', password: 'y' })).toEqual({ kind: 'session', account: me });
  });

  it('a login that needs a second factor gives the challenge and no account', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { twoFactorRequired: true, challenge: 'c1' }));
    expect(await api.login({ username: 'x', password: 'y' })).toEqual({ kind: 'second_factor', challenge: 'c1', methods: ['otp'], rememberDays: 0 });
    fetchMock.mockResolvedValueOnce(json(200, { twoFactorRequired: true, challenge: 'c2', rememberDays: 30, methods: ['passkey', 'otp'] }));
    expect(await api.login({ username: 'x', password: 'y' })).toEqual({ kind: 'second_factor', challenge: 'c2', methods: ['passkey', 'otp'], rememberDays: 30 });
  });

  it('a login that must enrol first is an enrolment session', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { account: me, twoFactorRequired: true, enrolmentRequired: true }));
    expect(await api.login({ username: 'x', password: 'y' })).toEqual({ kind: 'enrolment', account: me });
  });

  it('refuses an answer it cannot read instead of half-logging in', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { twoFactorRequired: true }));
    expect((await rejection(api.login({ username: 'x', password: 'y' }))).code).toBe('unknown');
    expect(() => loginOutcome({ account: me as Me, twoFactorRequired: true })).toThrow(ApiError);
  });

  it('sends the second factor with the challenge, without a CSRF header (no session yet)', async () => {
    cookie = '';
    fetchMock.mockResolvedValueOnce(json(200, { account: me }));
    expect(await api.secondFactor('c1', 'ABCDEFGH')).toEqual({ kind: 'session', account: me });
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(new URL(req.url).pathname).toBe('/api/v1/auth/login/second-factor');
    expect(await req.json()).toEqual({ challenge: 'c1', code: 'ABCDEFGH' });
    fetchMock.mockResolvedValueOnce(json(200, { account: me }));
    await api.secondFactor('c1', '123456', true);
    expect(await lastRequest().json()).toEqual({ challenge: 'c1', code: '123456', remember: true });
  });

  it('keeps invalid_code and challenge_expired apart from a lost session', async () => {
    const gone: string[] = [];
    const off = api.onUnauthenticated(() => gone.push('gone'));
    fetchMock.mockResolvedValueOnce(apiError(401, 'invalid_code'));
    expect((await rejection(api.secondFactor('c1', '123456'))).code).toBe('invalid_code');
    fetchMock.mockResolvedValueOnce(apiError(401, 'challenge_expired'));
    expect((await rejection(api.secondFactor('c1', '123456'))).code).toBe('challenge_expired');
    expect(gone).toEqual([]);
    off();
  });

  it('tells an enrolment session from a full one', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { minLength: 8, maxLength: 128, requireLowercase: true, requireUppercase: true, requireDigit: true, requireSymbol: true }));
    expect(await api.isEnrolmentSession()).toBe(false);
    fetchMock.mockResolvedValueOnce(apiError(403, 'enrolment_required'));
    expect(await api.isEnrolmentSession()).toBe(true);
    fetchMock.mockResolvedValueOnce(apiError(401, 'unauthenticated'));
    expect((await rejection(api.isEnrolmentSession())).code).toBe('unauthenticated');
  });
});

describe('two-factor', () => {
  it('reads and sets the switch', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { enabled: false, lockedBy: null }));
    expect(await api.twoFactor()).toEqual({ enabled: false, lockedBy: null });
    fetchMock.mockResolvedValueOnce(json(200, { enabled: true, lockedBy: null }));
    expect(await api.setTwoFactor(true)).toEqual({ enabled: true, lockedBy: null });
    const req = lastRequest();
    expect(req.method).toBe('PUT');
    expect(new URL(req.url).pathname).toBe('/api/v1/me/two-factor');
    expect(req.headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(await req.json()).toEqual({ enabled: true });
  });

  it('confirms an OTP entry with the code', async () => {
    const credential = { id: 3, kind: 'otp', label: 'Phone', description: 'Tessera: admin@example.com', status: 'enabled',
      services: ['web'], createdAt: '2024-01-01T00:00:00Z', lastUsedAt: null, expiresAt: null, failedAttempts: 0 };
    fetchMock.mockResolvedValueOnce(json(200, { credential }));
    expect(await api.confirmOtp(3, '123456')).toEqual(credential);
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/credentials/3/confirm');
    expect(lastRequest().headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(await lastRequest().json()).toEqual({ code: '123456' });
  });

  it('fetches the PIN-code sheet as a PDF blob, on the paper asked for', async () => {
    fetchMock.mockResolvedValueOnce(new Response(new Blob(['%PDF-1.4'], { type: 'application/pdf' }), { status: 200, headers: { 'Content-Type': 'application/pdf' } }));
    const blob = await api.pinSheet(3, ['ABCDEFGH', 'JKLMNPQR'], 'letter');
    expect(blob).toBeInstanceOf(Blob);
    expect(await blob.text()).toBe('%PDF-1.4');
    const url = new URL(lastRequest().url);
    expect(url.pathname).toBe('/api/v1/credentials/3/pin-sheet');
    expect(url.searchParams.get('paper')).toBe('letter');
    expect(lastRequest().headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(await lastRequest().json()).toEqual({ pinCodes: ['ABCDEFGH', 'JKLMNPQR'] });

    fetchMock.mockResolvedValueOnce(apiError(400, 'invalid_pin_codes'));
    const err = await rejection(api.pinSheet(3, ['ABCDEFGH'], 'a4'));
    expect(err.code).toBe('invalid_pin_codes');
    expect(errorMessage(err)).toBe(strings.errors.invalid_pin_codes);
  });

  it('lists the devices', async () => {
    const device = { deviceId: 'ABC', deviceType: 'iPhone', userAgent: 'Apple-iPhone/1', protocolVersion: '16.1', model: '',
      friendlyName: '', os: '', provisioned: true, wipeState: 'none', firstSyncAt: '2024-01-01T00:00:00Z', lastSyncAt: '2024-01-02T00:00:00Z' };
    fetchMock.mockResolvedValueOnce(json(200, { items: [device] }));
    expect(await api.myDevices()).toEqual([device]);
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/me/devices');
  });
});

describe('credentials', () => {
  const credential = {
    id: 7, kind: 'eas', label: 'My phone', description: '', status: 'enabled', services: ['eas'], createdAt: '2024-01-01T00:00:00Z',
    lastUsedAt: null, expiresAt: null, failedAttempts: 0,
  };

  it('lists every kind with a GET and no CSRF header', async () => {
    fetchMock.mockResolvedValue(json(200, { items: [credential] }));
    expect(await api.listCredentials()).toEqual([credential]);
    expect(lastRequest().method).toBe('GET');
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/credentials');
    expect(lastRequest().headers.has('X-CSRF-Token')).toBe(false);
  });

  it('creates with kind and label, and returns the secret', async () => {
    const created = { credential, secret: { password: 'ABCD-EFGH-JKLM-NPQR' } };
    fetchMock.mockResolvedValue(json(201, created));
    expect(await api.createCredential('eas', 'My phone')).toEqual(created);
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(new URL(req.url).pathname).toBe('/api/v1/credentials');
    expect(req.headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(await req.json()).toEqual({ kind: 'eas', label: 'My phone' });
  });

  it('asks for an Apple profile when told, and downloads it once as a blob with the session', async () => {
    const appleProfile = { token: 'a'.repeat(43), url: 'https://x/api/v1/apple-profiles/' + 'a'.repeat(43), qrCode: 'data:image/png;base64,AA', expiresAt: '2026-01-01T00:10:00Z' };
    fetchMock.mockResolvedValue(json(201, { credential, secret: { password: 'ABCD-EFGH-JKLM-NPQR', appleProfile } }));
    const made = await api.createCredential('eas', 'My phone', undefined, true);
    expect(made.secret.appleProfile).toEqual(appleProfile);
    expect(await lastRequest().json()).toEqual({ kind: 'eas', label: 'My phone', appleProfile: true });

    fetchMock.mockResolvedValue(new Response('<plist/>', { status: 200, headers: { 'Content-Type': 'application/x-apple-aspen-config' } }));
    const blob = await api.appleProfile(appleProfile.token);
    expect(await blob.text()).toBe('<plist/>');
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/me/apple-profiles/' + appleProfile.token);

    fetchMock.mockResolvedValue(json(404, { error: { code: 'profile_gone', message: 'gone' } }));
    await expect(api.appleProfile(appleProfile.token)).rejects.toMatchObject({ status: 404, code: 'profile_gone' });
  });

  it('deletes by id with the CSRF header', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.deleteCredential(7);
    expect(lastRequest().method).toBe('DELETE');
    expect(new URL(lastRequest().url).pathname).toBe('/api/v1/credentials/7');
    expect(lastRequest().headers.get('X-CSRF-Token')).toBe('tok+en');
  });

  it('words label_taken, limit_reached and not_found', async () => {
    fetchMock.mockResolvedValueOnce(apiError(409, 'label_taken'));
    expect(errorMessage(await rejection(api.createCredential('eas', 'x')))).toBe('You already have one with that description.');
    fetchMock.mockResolvedValueOnce(apiError(409, 'limit_reached'));
    const limit = await rejection(api.createCredential('mobile_app', 'x'));
    expect(errorMessage(limit)).toBe(strings.errors.limit_reached);
    expect(errorMessage(limit, { limit_reached: strings.sections.mobileApps.limitReached })).toBe(
      strings.sections.mobileApps.limitReached,
    );
    fetchMock.mockResolvedValueOnce(apiError(404, 'not_found'));
    expect((await rejection(api.deleteCredential(99))).code).toBe('not_found');
  });
});

describe('helpers', () => {
  it('readCookie finds a cookie among others', () => {
    expect(readCookie('a=1; tessera_csrf=abc; b=2', 'tessera_csrf')).toBe('abc');
    expect(readCookie('xtessera_csrf=1', 'tessera_csrf')).toBeUndefined();
    expect(readCookie('', 'tessera_csrf')).toBeUndefined();
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeUndefined();
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
