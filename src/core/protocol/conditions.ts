/**
 * Release conditions (issue 15): an optional top-level field `conditions` of an order step's content, signed by the
 * principal with the order, read by the node before the plugin sees the content (src/node/orders.ts), and by the
 * app and the CLI when they write or show an order. All conditions present must hold for a release.
 *
 *   conditions: {
 *     notBefore?: int                  ms since the epoch: no release before this time (the node's clock)
 *     checkIn?:   { every: int }       a dead man's switch: released once `every` ms pass without a check-in
 *     oidc?:      { issuer, subject? | email? }   the redeemer proves an OpenID Connect identity (src/node/oidc/)
 *   }
 *
 * docs/protocol.md#conditions.
 * @module
 */
import { type Check, integer, SchemaPathError, struct, text } from '../schema.ts';
import { MAX_TIME } from './identity.ts';

/** An OpenID Connect identity at an issuer: its subject, or a verified email (exactly one of them). */
export interface OidcCondition {
  readonly issuer: string;
  readonly subject?: string;
  readonly email?: string;
}

export interface Conditions {
  /** ms since the epoch: no release before this time. */
  readonly notBefore?: number;
  /** A dead man's switch: released once `every` ms pass after the order, or after the latest check-in. */
  readonly checkIn?: { readonly every: number };
  readonly oidc?: OidcCondition;
}

/** The shortest and longest period of a dead man's switch: an hour, ten years. */
const MIN_CHECK_IN_MS = 3_600_000;
const MAX_CHECK_IN_MS = 315_360_000_000;

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A URL only this machine can reach (tests, a local provider). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

/**
 * An issuer identifier: an https URL without query or fragment (OpenID Connect Discovery 1.0, section 2), or plain
 * http on loopback; no user or password. The condition and the node's trusted issuers (src/node/oidc/) both use it.
 */
export function isIssuerUrl(s: string): boolean {
  if (!URL.canParse(s) || s.includes('#')) return false;
  const u = new URL(s);
  if (u.username !== '' || u.password !== '' || u.search !== '') return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackUrl(u));
}

const issuer = text({
  minBytes: 1,
  maxBytes: 256,
  test: isIssuerUrl,
  what: 'an https:// issuer URL without query or fragment',
});
const subject = text({ minBytes: 1, maxBytes: 255 });
const email = text({ minBytes: 3, maxBytes: 254, test: (s) => s.includes('@'), what: 'an email address' });

const oidcShape = struct({ issuer }, { subject, email });
const oidcCondition: Check<OidcCondition> = (v, path) => {
  const o = oidcShape(v, path);
  if ((o.subject === undefined) === (o.email === undefined)) {
    throw new SchemaPathError(path, 'expected exactly one of subject and email');
  }
  return o;
};

const conditionsShape = struct(
  {},
  {
    notBefore: integer(0, MAX_TIME),
    checkIn: struct({ every: integer(MIN_CHECK_IN_MS, MAX_CHECK_IN_MS) }),
    oidc: oidcCondition,
  },
);

/** Checks a `conditions` value (SchemaPathError naming the field): at least one known condition, each in range. */
export function parseConditions(value: unknown, path = 'conditions'): Conditions {
  const c = conditionsShape(value, path);
  if (c.notBefore === undefined && c.checkIn === undefined && c.oidc === undefined) {
    throw new SchemaPathError(path, 'expected at least one condition (notBefore, checkIn, oidc)');
  }
  return c;
}

/** Which time condition holds a release back, and until when (ms since the epoch, the node's clock). */
export interface UnmetCondition {
  readonly condition: 'notBefore' | 'checkIn';
  readonly until: number;
}

/**
 * The time conditions not met at `now`; `lastCheckIn` is the node's time of the latest check-in (or of its reply
 * to the order). Empty when the time conditions allow a release.
 */
export function unmetConditions(c: Conditions, lastCheckIn: number, now: number): UnmetCondition[] {
  const unmet: UnmetCondition[] = [];
  if (c.notBefore !== undefined && now < c.notBefore) unmet.push({ condition: 'notBefore', until: c.notBefore });
  const deadline = c.checkIn ? lastCheckIn + c.checkIn.every : undefined;
  if (deadline !== undefined && now < deadline) unmet.push({ condition: 'checkIn', until: deadline });
  return unmet;
}

/** The earliest time the time conditions allow a release; undefined when there are none. */
export function releasesAt(c: Conditions, lastCheckIn: number): number | undefined {
  const times = [c.notBefore, c.checkIn ? lastCheckIn + c.checkIn.every : undefined];
  const present = times.filter((t): t is number => t !== undefined);
  return present.length > 0 ? Math.max(...present) : undefined;
}
