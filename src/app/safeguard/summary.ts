/**
 * The public summary of a safeguard order reply, as the app stores and lists it: the secret's size, whether
 * the node drew it, the node's commitment to it (hex) and the label. Never the secret.
 * @module
 */
import { toHex } from '../../core/bytes.ts';
import type { OrderReply } from '../../plugins/safeguard/schema.ts';
import type { OrderRecord } from '../orders/model.ts';

export interface SafeguardSummary {
  readonly kind: 'safeguard';
  readonly size: number;
  readonly generated: boolean;
  readonly commitment: string; // hex
  readonly label?: string;
}

declare module '../orders/model.ts' {
  interface OrderSummaries {
    safeguard: SafeguardSummary;
  }
}

/** The summary of a verified order reply. */
export function safeguardSummary(r: OrderReply): SafeguardSummary {
  return {
    kind: 'safeguard',
    size: r.size,
    generated: r.generated,
    commitment: toHex(r.commitment),
    ...(r.label !== undefined ? { label: r.label } : {}),
  };
}

/** The order's safeguard summary, when it has one. */
export function safeguardSummaryOf(o: Pick<OrderRecord, 'summary'>): SafeguardSummary | undefined {
  return o.summary?.kind === 'safeguard' ? o.summary : undefined;
}
