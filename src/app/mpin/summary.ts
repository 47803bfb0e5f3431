/**
 * The public summary of an mpin order (one issued share): what was asked for, and the day of a time
 * permit. The share never reaches this page: the worker opens the reply and keeps only the PIN token it makes,
 * sealed (src/worker/api/mpin.ts); an imported order's content is withheld, so its issue reads "share".
 * @module
 */
import type { Summarize } from '../orders/flow.ts';

export interface MpinSummary {
  readonly kind: 'mpin';
  readonly issue: string;
  readonly date?: number;
}

declare module '../orders/model.ts' {
  interface OrderSummaries {
    mpin: MpinSummary;
  }
}

/** The summary of a share asked for with `asked`. */
export function mpinSummary(asked: { issue: string; date?: number }): MpinSummary {
  return { kind: 'mpin', issue: asked.issue, ...(asked.date !== undefined ? { date: asked.date } : {}) };
}

/** For orders imported from a node: the reply's `issue` when it is text, else "share". */
export const summarizeMpin: Summarize = async (content) => {
  const issue = typeof content === 'object' && content !== null ? (content as { issue?: unknown }).issue : undefined;
  return { kind: 'mpin', issue: typeof issue === 'string' ? issue : 'share' };
};
