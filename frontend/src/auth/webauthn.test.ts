import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './webauthn';

describe('base64url', () => {
  it('round-trips every byte value and needs no padding', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const s = toBase64url(bytes);
    expect(s).not.toMatch(/[+/=]/);
    expect(new Uint8Array(fromBase64url(s))).toEqual(bytes);
  });

  it('reads what the server sends (RFC 4648 §5, unpadded)', () => {
    expect(new Uint8Array(fromBase64url('AAAAAAAAAAE'))).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]));
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(new Uint8Array(fromBase64url('-_8'))).toEqual(new Uint8Array([0xfb, 0xff]));
  });

  it('encodes a view of a larger buffer, not the whole buffer', () => {
    const buf = new Uint8Array([1, 2, 3, 4]);
    expect(toBase64url(buf.subarray(1, 3))).toBe(toBase64url(new Uint8Array([2, 3])));
  });
});
