/** How a retrieved secret is shown: as text when it is printable UTF-8, else as hex. @module */
import { printableText, toHex } from '../../core/bytes.ts';

export function secretText(bytes: Uint8Array): { readonly text: string; readonly encoding: 'text' | 'hex' } {
  const text = printableText(bytes);
  return text !== undefined ? { text, encoding: 'text' } : { text: toHex(bytes), encoding: 'hex' };
}
