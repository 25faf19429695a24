import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, parseRetryAfter, readCookie } from './api';
import { errorMessage, weakPasswordReasons } from './errors';
import { strings } from './strings';

const me = {
  id: 1, email: 'admin@example.com', domain: 'example.com', role: 'global_admin', cos: null,
  status: 'active', twoFactorEnabled: false, createdAt: '2024-01-01T00:00:00Z', passwordChangedAt: null,
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
    expect(await api.login({ username: 'admin@example.com', password: 'pw' })).toEqual(me);
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

  it('refuses a login that needs a second factor instead of half-logging in', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { twoFactorRequired: true, challenge: 'c' }));
    const err = await rejection(api.login({ username: 'x', password: 'y' }));
    expect(err.code).toBe('second_factor_required');
    expect(errorMessage(err)).toBe(strings.errors.second_factor_required);
    fetchMock.mockResolvedValueOnce(json(200, { account: me, twoFactorRequired: true, enrolmentRequired: true }));
    expect((await rejection(api.login({ username: 'x', password: 'y' }))).code).toBe('second_factor_required');
  });

  it('gives a non-ApiError the generic message', () => {
    expect(errorMessage(new Error('boom'))).toBe(strings.errors.unknown);
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
