// A secret sealed to one node for one plugin (src/core/crypto/plugin-seal.ts): it opens with the node's X-Wing seed,
// the same plugin name and the same associated data, and with nothing else — not under another plugin's name (the
// info keeps plugins apart), not with other associated data, not with another node's seed, not once altered.
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { DecryptionError } from '../../src/core/crypto/errors.ts';
import { openForPlugin, sealForPlugin } from '../../src/core/crypto/plugin-seal.ts';
import { xwing } from '../../src/core/crypto/xwing.ts';

const node = xwing.keygen();
const other = xwing.keygen();
const aad = utf8('slot: dealer 1, holder 2');
const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('plugin-seal', () => {
  it('opens for the node, the plugin and the associated data it was sealed with', () => {
    const sealed = sealForPlugin('custody', node.publicKey, aad, secret);
    expect(sealed.ciphertext).toHaveLength(secret.length + 16);
    expect(openForPlugin('custody', node.secretKey, aad, sealed)).toEqual(secret);
  });

  it('does not open under another plugin, other associated data, another seed, or altered', () => {
    const sealed = sealForPlugin('custody', node.publicKey, aad, secret);
    expect(() => openForPlugin('custodx', node.secretKey, aad, sealed)).toThrow(DecryptionError);
    expect(() => openForPlugin('custody', node.secretKey, utf8('slot: dealer 1, holder 3'), sealed)).toThrow(
      DecryptionError,
    );
    expect(() => openForPlugin('custody', other.secretKey, aad, sealed)).toThrow(DecryptionError);
    const altered = { enc: sealed.enc, ciphertext: sealed.ciphertext.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(() => openForPlugin('custody', node.secretKey, aad, altered)).toThrow(DecryptionError);
  });
});
