/**
 * How hard a backup passphrase is to guess, estimated by zxcvbn-ts (dictionaries of common passwords, words,
 * names; keyboard patterns, dates, repeats, l33t). The library and its dictionaries (about 1 MB) are loaded on
 * first use, from the backup page only, so that a first visit does not download them.
 * https://github.com/zxcvbn-ts/zxcvbn
 * @module
 */

/** 0 (too guessable) .. 4 (very unguessable), zxcvbn's scale; 3 is "safely unguessable: moderate protection from
 * an offline slow-hash scenario", which a backup file under scrypt is. */
export const MIN_SCORE = 3;

export interface Strength {
  readonly score: 0 | 1 | 2 | 3 | 4;
  /** Why it is weak, in a sentence (zxcvbn's English feedback), or null. */
  readonly warning: string | null;
}

export type StrengthCheck = (passphrase: string, userInputs: readonly string[]) => Strength;

let loading: Promise<StrengthCheck> | undefined;

/** The estimator, loaded once. */
export function loadStrengthCheck(): Promise<StrengthCheck> {
  loading ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (passphrase, userInputs) => {
      const r = zxcvbn.check(passphrase, [...userInputs]);
      return { score: r.score, warning: r.feedback.warning || null };
    };
  })();
  loading.catch(() => {
    loading = undefined; // a failed download may be retried
  });
  return loading;
}
