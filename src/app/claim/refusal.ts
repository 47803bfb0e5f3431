/**
 * Why a claim gave no secret, in plain words: the nodes' refusal codes (docs/protocol.md, "OpenID Connect
 * beneficiaries" and "Redeeming with conditions") through the app's describeError (ui/errors.ts), with what only
 * this page knows: who the person signed in as, when the node says the secret is for another account.
 * @module
 */
import { NodeApiError } from '../api/errors.ts';
import { describeError } from '../ui/errors.ts';

/** The refusal the worker reports (a node's code and message, or a check of its own). */
export interface ClaimProblem {
  readonly code: string;
  readonly message: string;
}

/** The sentence to show for `problem`; `signedInAs` is the account named by the ID token, when it names one. */
export function claimRefusal(problem: ClaimProblem, signedInAs: string | undefined): string {
  if (problem.code === 'oidc_wrong_subject') {
    const who = signedInAs ? `You signed in as ${signedInAs}` : 'You signed in with another account';
    return `${who}; this secret is for another account. Nothing was released.`;
  }
  // Rebuilt as the node's error (its code does not cross the worker boundary): its title says what the code means.
  return describeError(new NodeApiError(0, problem.code, problem.message)).message;
}
