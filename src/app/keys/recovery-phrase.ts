/**
 * A generated backup passphrase: eight words drawn uniformly from the BIP-39 English list (2048 words, so 11 bits
 * each, 88 bits in all: no offline guessing through scrypt can reach it). The list is loaded only when asked for.
 * https://github.com/bitcoin/bips/blob/master/bip-0039/english.txt
 * @module
 */

const WORDS = 8;
const BITS_PER_WORD = 11;

/** Eight random words separated by spaces. */
export async function recoveryPhrase(): Promise<string> {
  const { wordlist } = await import('@scure/bip39/wordlists/english.js');
  if (wordlist.length !== 2 ** BITS_PER_WORD) throw new Error('the word list is not the BIP-39 one');
  const random = crypto.getRandomValues(new Uint16Array(WORDS));
  // 2048 divides 65536, so the low 11 bits of a uniform 16-bit value are uniform.
  const phrase = Array.from(random, (r) => wordlist[r & (wordlist.length - 1)]).join(' ');
  random.fill(0);
  return phrase;
}
