// C2SP tlog-checkpoint texts: the spec's example parses and formats back to itself; sizes, roots and lines are
// parsed strictly so that one tree head has one text.
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';

const example = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('checkpoints', () => {
  it('parses the spec example and formats it back byte for byte', () => {
    const c = parseCheckpoint(example);
    expect(c).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(c.root).toHaveLength(32);
    expect(formatCheckpoint(c)).toBe(example);
  });

  it('keeps extension lines', () => {
    const text = `${example}ext one\nanother\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['ext one', 'another']);
    expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
  });

  it('formats the empty tree as size 0', () => {
    const root = new Uint8Array(32);
    expect(formatCheckpoint({ origin: 'o', size: 0, root, extensions: [] })).toBe(`o\n0\n${'A'.repeat(43)}=\n`);
  });

  it.each([
    ['no final newline', example.slice(0, -1)],
    ['two lines', 'example.com/x\n3\n'],
    ['leading zero', example.replace('20852163', '020852163')],
    ['signed size', example.replace('20852163', '+20852163')],
    ['size over 2^53', example.replace('20852163', '9007199254740993')],
    ['short root', example.replace('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'AAAA')],
    ['unpadded root', example.replace('jxq2I=', 'jxq2I')],
    ['empty origin', example.replace('example.com/behind-the-sofa', '')],
    ['empty extension', `${example}\n`],
    ['control character', example.replace('example', 'ex\tample')],
  ])('refuses %s', (_why, text) => {
    expect(() => parseCheckpoint(text)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('refuses to format a bad size, root or line', () => {
    const root = new Uint8Array(32);
    for (const c of [
      { origin: 'o', size: -1, root, extensions: [] },
      { origin: 'o', size: 1.5, root, extensions: [] },
      { origin: 'o', size: 1, root: new Uint8Array(31), extensions: [] },
      { origin: 'o\nx', size: 1, root, extensions: [] },
      { origin: 'o', size: 1, root, extensions: [''] },
    ]) {
      expect(() => formatCheckpoint(c)).toThrow(expect.objectContaining({ code: 'malformed' }));
    }
  });
});
