/**
 * What a principal sends the beneficiary (issue 14, item 7), in a DOM: the share panel shows the order's id and
 * node as text, a link whose query "Add an order" reads back to the same order, node and kind, and that link as
 * a QR code; an order's parties are named "you" or by their verified identity document, the CID kept on demand.
 * The whole path between two people on a real node is test/e2e/first-run.e2e.ts's.
 */
import { render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../src/app/orders/model.ts';
import { PartyName } from '../../src/app/orders/PartyName.tsx';
import { SharePanel } from '../../src/app/orders/SharePanel.tsx';
import { sharedOrderOf, shareLink } from '../../src/app/orders/share-link.ts';

const ID = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
const ME = 'bafyreibvjvcv745gig4mvqs4hctx4zfkono4rjejm2ta6gtyzkxxxxxxxa';
const BEA = 'bafyreicacx6cbd3xmbdyjpl6vblsnnlfv4z4ofqzx3gm7zg6oqmbwv4aaaa';
const NODE = 'https://node.example:5556';

const order = {
  owner: ME,
  id: ID,
  plugin: 'safeguard',
  node: NODE,
  principal: ME,
  beneficiary: BEA,
  check: { identities: { [BEA]: { name: 'Bea', via: 'node' } } },
} as unknown as OrderRecord;

describe('share link', () => {
  it('reads back the order, node and kind it was made of, whatever the base', () => {
    const link = shareLink({ order: ID, node: NODE, plugin: 'safeguard' }, 'https://app.example/');
    expect(link.startsWith('https://app.example/#/orders/add?')).toBe(true);
    const query = new URLSearchParams(link.split('?')[1]);
    expect(sharedOrderOf(query)).toEqual({ order: ID, node: NODE, plugin: 'safeguard' });
    expect(sharedOrderOf(new URLSearchParams('order=%20&node='))).toEqual({});
  });
});

describe('SharePanel', () => {
  it('shows the id and node to copy, the link, and the link as a QR code', async () => {
    render(() => <SharePanel order={order} beneficiary="Bea" />);
    expect(screen.getByTestId('share-panel').textContent).toContain('Send Bea');
    expect(screen.getByTestId('share-order-id').querySelector('code')!.textContent).toBe(ID);
    expect(screen.getByTestId('share-node').querySelector('code')!.textContent).toBe(NODE);
    const link = screen.getByTestId('share-link').querySelector('code')!.textContent!;
    expect(sharedOrderOf(new URLSearchParams(link.split('#/orders/add?')[1]))).toEqual({
      order: ID,
      node: NODE,
      plugin: 'safeguard',
    });
    await waitFor(() => expect(screen.getByTestId('share-qr').getAttribute('data-payload')).toBe(link));
    expect(screen.getByRole('button', { name: 'Copy link to add this order' })).toBeTruthy();
  });
});

describe('PartyName', () => {
  it('names you, a verified identity, or shows a short CID; the whole CID stays on demand', () => {
    render(() => (
      <>
        <PartyName order={order} cid={ME} me={ME} testid="me" />
        <PartyName order={order} cid={BEA} me={ME} testid="bea" />
        <PartyName order={order} cid={ID} me={ME} testid="stranger" />
      </>
    ));
    expect(screen.getByTestId('me').querySelector('summary')!.textContent).toBe('you');
    expect(screen.getByTestId('bea').querySelector('summary')!.textContent).toBe('Bea');
    const stranger = screen.getByTestId('stranger');
    expect(stranger.querySelector('summary')!.textContent).not.toBe(ID);
    expect(stranger.querySelector('summary')!.textContent!.length).toBeLessThan(ID.length);
    expect(stranger.querySelector('code')!.textContent).toBe(ID);
  });
});
