/**
 * The Audit page's model: what was checked about a node, each check ok, failed or unknown (could not be
 * checked: the node serves no log yet, the check needs something missing), with a reason in words a person
 * understands and, for a failed one, the evidence a third party can check again (signed notes, proofs,
 * headers: JSON values only, bytes as base64 or hex). The check functions (checkpoint.ts, witnesses.ts,
 * consistency.ts, inclusion.ts, anchor.ts) take data already fetched and return one of these; audit.ts fetches.
 * @module
 */

export type CheckStatus = 'ok' | 'failed' | 'unknown';

export type CheckKind = 'checkpoint' | 'witnesses' | 'consistency' | 'inclusion' | 'anchor';

/** JSON a person can download and anyone can verify again. */
export type Evidence = { readonly [key: string]: unknown };

export interface AuditCheck {
  readonly kind: CheckKind;
  readonly status: CheckStatus;
  /** One sentence: what was found. */
  readonly reason: string;
  /** Lines below the reason (a witness each, an envelope each…). */
  readonly details?: readonly string[];
  /** For a failed check: what shows it. */
  readonly evidence?: Evidence;
}

export const CHECK_TITLES: Readonly<Record<CheckKind, string>> = {
  checkpoint: 'Latest checkpoint signed by the node’s log key',
  witnesses: 'Witnesses',
  consistency: 'Consistent with what this device saw before',
  inclusion: 'Your envelopes are in the log',
  anchor: 'Birth Record anchored on Bitcoin',
};

export const ok = (kind: CheckKind, reason: string, details?: readonly string[]): AuditCheck => ({
  kind,
  status: 'ok',
  reason,
  ...(details ? { details } : {}),
});

export const unknown = (kind: CheckKind, reason: string): AuditCheck => ({ kind, status: 'unknown', reason });

export const failed = (
  kind: CheckKind,
  reason: string,
  evidence: Evidence,
  details?: readonly string[],
): AuditCheck => ({
  kind,
  status: 'failed',
  reason,
  evidence,
  ...(details ? { details } : {}),
});

/** The evidence file of an audit: every failed check's evidence, with who and when. */
export function evidenceFile(
  node: { identity: string; url: string },
  at: number,
  checks: readonly AuditCheck[],
): Evidence {
  return {
    type: 'dta/audit-evidence',
    version: 1,
    node: node.identity,
    url: node.url,
    at: new Date(at).toISOString(),
    failed: checks
      .filter((c) => c.status === 'failed')
      .map((c) => ({ check: c.kind, reason: c.reason, evidence: c.evidence ?? {} })),
  };
}
