/**
 * What tripped a person up (issue 14), where a component or a view's helper alone shows it: an order's title
 * carries the label of the node's reply (what a beneficiary has), an M-Pin share is "Issued" rather than forever
 * "Open", the history lists envelopes stored since the last check (a retrieval's), a refused login says wrong PIN
 * or lockout in words, and a button that needs a node is disabled offline and says why.
 */
import { render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { mpinKind } from '../../src/app/mpin/kind.ts';
import { refusalText } from '../../src/app/mpin/refusal.ts';
import { ChainView } from '../../src/app/orders/ChainView.tsx';
import { registerOrderKind } from '../../src/app/orders/kinds.ts';
import type { OrderRecord, StepCheck, StoredEnvelope } from '../../src/app/orders/model.ts';
import { orderTitle, stateTitle } from '../../src/app/orders/titles.ts';
import { safeguardKind } from '../../src/app/safeguard/kind.ts';
import { formatTime, NodeButton } from '../../src/app/ui/index.ts';

registerOrderKind(safeguardKind);
registerOrderKind(mpinKind);

const ME = 'bafyreime';
const NODE = 'bafyreinode';

function envelope(cid: string, type: string, created: number): StoredEnvelope {
  return { cid, type, sender: NODE, recipients: [ME], created, bytes: new Uint8Array([1]) };
}

function checked(e: StoredEnvelope): StepCheck {
  const { bytes: _, ...header } = e;
  return { ...header, sealed: true, cidVerified: true, signatureVerified: true, onChain: true, via: 'stored' };
}

function order(over: Partial<OrderRecord>): OrderRecord {
  return {
    owner: ME,
    id: 'bafyreiorder',
    plugin: 'safeguard',
    node: 'http://127.0.0.1:5556',
    nodeIdentity: NODE,
    principal: 'bafyreiprincipal',
    beneficiary: ME,
    role: 'beneficiary',
    created: 1_700_000_000_000,
    updated: 1_700_000_000_000,
    state: 'open',
    envelopes: [],
    ...over,
  };
}

describe('order titles and states', () => {
  it("a beneficiary's order is titled with the label of the node's reply", () => {
    const summary = { kind: 'safeguard', size: 12, generated: false, commitment: '00', label: 'for Ben' } as const;
    expect(orderTitle(order({ summary }))).toBe('Safeguarded secret: for Ben');
    // The principal's own label (stored when ordering) still comes first.
    expect(orderTitle(order({ summary, label: 'mine' }))).toBe('Safeguarded secret: mine');
    expect(orderTitle(order({}))).toBe('Safeguarded secret');
  });

  it('an M-Pin share the node answered is "Issued"; a retrievable order stays "Open" until retrieved', () => {
    expect(stateTitle(order({ plugin: 'mpin', state: 'open' }))).toBe('Issued');
    expect(stateTitle(order({ plugin: 'mpin', state: 'sending' }))).toBe('Waiting for the node');
    expect(stateTitle(order({ state: 'open' }))).toBe('Open');
    expect(stateTitle(order({ state: 'redeemed' }))).toBe('Retrieved');
  });
});

describe('ChainView', () => {
  it('lists the envelopes stored since the last check after the checked ones, unmarked, and counts them', () => {
    const first = [envelope('bafyreia', 'safeguard/order', 1), envelope('bafyreib', 'safeguard/order-reply', 2)];
    const later = [envelope('bafyreic', 'safeguard/redeem', 3), envelope('bafyreid', 'safeguard/redeem-reply', 4)];
    const check = {
      at: 2,
      head: 'bafyreib',
      steps: first.map(checked),
      verified: true,
      identities: {},
    };
    render(() => <ChainView order={order({ envelopes: [...first, ...later], check, state: 'redeemed' })} me={ME} />);
    const steps = screen.getAllByTestId('chain-step');
    expect(steps.map((s) => s.getAttribute('data-type'))).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
    expect(steps.map((s) => s.getAttribute('data-verified'))).toEqual(['true', 'true', 'unknown', 'unknown']);
    expect(screen.getByTestId('chain-unchecked').getAttribute('data-count')).toBe('2');
  });

  it('says nothing about newer envelopes when the check saw them all', () => {
    const all = [envelope('bafyreia', 'safeguard/order', 1), envelope('bafyreib', 'safeguard/order-reply', 2)];
    const check = { at: 2, head: 'bafyreib', steps: all.map(checked), verified: true, identities: {} };
    render(() => <ChainView order={order({ envelopes: all, check })} me={ME} />);
    expect(screen.getAllByTestId('chain-step')).toHaveLength(2);
    expect(screen.queryByTestId('chain-unchecked')).toBeNull();
  });
});

describe('refused M-Pin logins in words', () => {
  const at = Date.UTC(2026, 0, 2, 10, 0, 0);

  it('a wrong PIN says so, with the tries left when the server counts them', () => {
    expect(refusalText({ at, server: 's', accepted: false, reason: 'refused' })).toBe('✗ Wrong PIN.');
    expect(refusalText({ at, server: 's', accepted: false, reason: 'refused', attemptsLeft: 3 })).toBe(
      '✗ Wrong PIN: 3 tries left before a lockout.',
    );
    expect(refusalText({ at, server: 's', accepted: false, reason: 'refused', attemptsLeft: 1 })).toBe(
      '✗ Wrong PIN: 1 try left before a lockout.',
    );
  });

  it('a lockout says it is one, and until when the server said', () => {
    const until = formatTime(at + 300_000);
    const locked = refusalText({ at, server: 's', accepted: false, reason: 'locked', retryAfter: 300 });
    expect(locked).toBe(`✗ Locked out after too many wrong PINs: try again after ${until}.`);
    const last = refusalText({ at, server: 's', accepted: false, reason: 'refused', attemptsLeft: 0, retryAfter: 300 });
    expect(last).toBe(`✗ Wrong PIN. No tries left: locked out after too many wrong PINs: try again after ${until}.`);
  });

  it('never the bare reason code', () => {
    for (const reason of ['refused', 'locked', 'revoked', 'stale', 'replayed', 'date', 'permit_required', 'new']) {
      const text = refusalText({ at, server: 's', accepted: false, reason });
      expect(text).not.toMatch(/Refused: |Check your PIN/);
      expect(text).not.toContain(`: ${reason}.`);
    }
  });
});

describe('NodeButton', () => {
  afterEach(() => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
    window.dispatchEvent(new Event('online'));
  });

  it('is disabled while the browser is offline and says "You are offline" next to itself', () => {
    let clicks = 0;
    render(() => <NodeButton onClick={() => clicks++}>Retrieve</NodeButton>);
    const button = screen.getByRole('button', { name: 'Retrieve' });
    expect(button).toHaveProperty('disabled', false);
    expect(screen.queryByTestId('offline-reason')).toBeNull();
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    window.dispatchEvent(new Event('offline'));
    expect(button).toHaveProperty('disabled', true);
    const reason = screen.getByTestId('offline-reason');
    expect(reason.textContent).toBe('You are offline');
    expect(button.getAttribute('aria-describedby')).toBe(reason.id);
    button.click();
    expect(clicks).toBe(0);
    window.dispatchEvent(new Event('online'));
    expect(button).toHaveProperty('disabled', false);
    expect(screen.queryByTestId('offline-reason')).toBeNull();
  });

  it('stays disabled online when its own condition says so', () => {
    render(() => (
      <NodeButton disabled={true} data-testid="b">
        Add node
      </NodeButton>
    ));
    expect(screen.getByTestId('b')).toHaveProperty('disabled', true);
    expect(screen.queryByTestId('offline-reason')).toBeNull();
  });
});
