// The M-Pin model's pure parts: PINs as typed, and the issuer comparison with an authentication server.
import { describe, expect, it } from 'vitest';
import { issuerMismatch } from '../../src/app/mpin/flow.ts';
import { MIN_ISSUERS, type MpinRegistration, parsePin } from '../../src/app/mpin/model.ts';

describe('M-Pin model', () => {
  it('takes 4 digits as a PIN and nothing else', () => {
    expect(parsePin('0000')).toBe(0);
    expect(parsePin('2468')).toBe(2468);
    expect(parsePin('9999')).toBe(9999);
    for (const bad of ['', '123', '12345', '12a4', ' 1234', '-123', '1e3 ']) expect(parsePin(bad)).toBeUndefined();
    expect(parsePin('5000', 5000)).toBeUndefined();
  });

  it('needs two issuers at least', () => {
    expect(MIN_ISSUERS).toBe(2);
  });

  it('names the issuers a server uses that the registration lacks, and the other way round', () => {
    const reg = { issuers: [{ identity: 'a' }, { identity: 'b' }] } as unknown as MpinRegistration;
    const server = { identity: 's', ready: true, requirePermit: false, windowSeconds: 60 };
    expect(issuerMismatch(reg, { ...server, issuers: ['b', 'a'] })).toEqual({ missing: [], extra: [] });
    expect(issuerMismatch(reg, { ...server, issuers: ['a', 'c'] })).toEqual({ missing: ['c'], extra: ['b'] });
  });
});
