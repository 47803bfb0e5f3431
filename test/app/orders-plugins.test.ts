// The order views' pure parts: titles, next steps per role and state, summarisers per registered order kind, how a
// retrieved secret is shown, and the stored-envelope helpers of the order model.
import { describe, expect, it } from 'vitest';
import { bitcoinKind } from '../../src/app/bitcoin/kind.ts';
import { mpinKind } from '../../src/app/mpin/kind.ts';
import { nextSteps, registerOrderKind, summarizerFor } from '../../src/app/orders/kinds.ts';
import { mergeEnvelopes, roleOf, type StoredEnvelope, stateAfterView } from '../../src/app/orders/model.ts';
import { orderTitle } from '../../src/app/orders/titles.ts';
import { safeguardKind } from '../../src/app/safeguard/kind.ts';
import { secretText } from '../../src/app/safeguard/secret-text.ts';
import { utf8 } from '../../src/core/bytes.ts';

// As the app does at start (its shell adds the order page's views to the same kinds).
for (const kind of [safeguardKind, bitcoinKind, mpinKind]) registerOrderKind(kind);

const env = (cid: string, created: number): StoredEnvelope => ({
  cid,
  type: 't',
  sender: 's',
  recipients: [],
  created,
  bytes: new Uint8Array(),
});

describe('order titles and next steps', () => {
  it('names orders by plugin, label, address or issue', () => {
    expect(orderTitle({ plugin: 'safeguard' })).toBe('Safeguarded secret');
    expect(orderTitle({ plugin: 'safeguard', label: 'for Bea' })).toBe('Safeguarded secret: for Bea');
    expect(orderTitle({ plugin: 'mpin', summary: { kind: 'mpin', issue: 'permit' } })).toBe('M-Pin share (permit)');
    expect(orderTitle({ plugin: 'other' })).toBe('other');
  });

  it('offers retrieval to beneficiaries only, of retrievable plugins, once the order exists', () => {
    expect(nextSteps({ role: 'beneficiary', state: 'open', plugin: 'safeguard' })).toEqual({
      retrieve: true,
      resend: false,
    });
    expect(nextSteps({ role: 'both', state: 'redeemed', plugin: 'bitcoin' }).retrieve).toBe(true);
    expect(nextSteps({ role: 'principal', state: 'open', plugin: 'safeguard' }).retrieve).toBe(false);
    expect(nextSteps({ role: 'both', state: 'open', plugin: 'mpin' }).retrieve).toBe(false);
    expect(nextSteps({ role: 'both', state: 'sending', plugin: 'safeguard' }).retrieve).toBe(false);
    expect(nextSteps({ role: 'both', state: 'failed', plugin: 'safeguard' }).retrieve).toBe(false);
  });

  it('offers to send again only a request still waiting to be answered', () => {
    const pending = { step: 'order' as const, cid: 'x', bytes: new Uint8Array() };
    expect(nextSteps({ role: 'both', state: 'sending', plugin: 'safeguard', pending }).resend).toBe(true);
    expect(
      nextSteps({ role: 'both', state: 'redeeming', plugin: 'safeguard', pending: { ...pending, step: 'redeem' } })
        .resend,
    ).toBe(false);
  });

  it('refuses to summarise orders of unknown plugins', async () => {
    await expect(summarizerFor('nope')({}, {} as never, {} as never)).rejects.toThrow(/not supported/);
    await expect(summarizerFor('mpin')({ issue: 'client-secret' }, {} as never, {} as never)).resolves.toEqual({
      kind: 'mpin',
      issue: 'client-secret',
    });
  });
});

describe('retrieved secrets', () => {
  it('shows printable UTF-8 as text and anything else as hex', () => {
    expect(secretText(utf8('ünïcödé\nline'))).toEqual({ text: 'ünïcödé\nline', encoding: 'text' });
    expect(secretText(new Uint8Array([0, 1, 0xff]))).toEqual({ text: '0001ff', encoding: 'hex' });
    expect(secretText(new Uint8Array([0xc3]))).toEqual({ text: 'c3', encoding: 'hex' });
  });
});

describe('order model', () => {
  it('gives the role of this identity', () => {
    expect(roleOf('a', 'a', 'a')).toBe('both');
    expect(roleOf('a', 'a', 'b')).toBe('principal');
    expect(roleOf('b', 'a', 'b')).toBe('beneficiary');
    expect(roleOf('c', 'a', 'b')).toBeUndefined();
  });

  it('merges envelopes by CID, oldest first, keeping the first copy', () => {
    const a = [env('1', 10), env('3', 30)];
    const b = [env('2', 20), { ...env('3', 30), type: 'other' }, env('4', 40)];
    const merged = mergeEnvelopes(a, b);
    expect(merged.map((e) => e.cid)).toEqual(['1', '2', '3', '4']);
    expect(merged.find((e) => e.cid === '3')!.type).toBe('t');
  });

  it('follows the node for redeemed orders and keeps its own in-flight states', () => {
    expect(stateAfterView('open', 'redeemed')).toBe('redeemed');
    expect(stateAfterView('redeeming', 'open')).toBe('redeeming');
    expect(stateAfterView('failed', 'open')).toBe('failed');
    expect(stateAfterView('sending', 'open')).toBe('open');
  });
});
