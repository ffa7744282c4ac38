import { splitText } from '../../../adapters/egain/split-text.js';
import { PermanentError } from '../../../src/errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemesOf = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

/** Offsets (UTF-16) at which the text may be cut without splitting a grapheme cluster. */
function boundaries(text: string): Set<number> {
  const set = new Set([text.length]);
  for (const { index } of segmenter.segment(text)) set.add(index);
  return set;
}

/** mulberry32: a small seeded PRNG, so every failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What chat text is made of, with the clusters that a cut by UTF-16 position would break. */
const ATOMS = [
  'a', 'Z', '7', '.', ' ', ' ', ' ', '\n', '\t', '\r\n', '\u00a0',
  'é', 'e\u0301', 'o\u0308\u0323', '\u0301',
  '中', '文', '𠀋', '한', '\u1100\u1161\u11a8',
  '😀', '🙂', '👍🏽', '🇫🇷', '🇯🇵', '👨‍👩‍👧‍👦', '🏳️‍🌈', '❤️', '1️⃣',
  'क्षि', 'ข้', '\u200d', '\ufe0f',
];

function randomText(random: () => number): string {
  const atoms = 1 + Math.floor(random() * 300);
  let text = '';
  for (let i = 0; i < atoms; i += 1) {
    // Runs of letters make words, so both whitespace cuts and hard cuts happen.
    text += random() < 0.5 ? 'abcdefghij'.slice(0, 1 + Math.floor(random() * 9)) : ATOMS[Math.floor(random() * ATOMS.length)];
  }
  return text;
}

describe('eGain maxTextLength splitting (grapheme clusters, UTF-16 code units)', () => {
  it('when random Unicode text is split, then every part fits, is well formed, cuts between clusters, and the parts join to the input', () => {
    for (let seed = 1; seed <= 400; seed += 1) {
      const random = prng(seed);
      const text = randomText(random);
      const longest = Math.max(1, ...graphemesOf(text).map((g) => g.length));
      const max = longest + Math.floor(random() * 80);
      const parts = splitText(text, max);
      const context = `seed ${seed}, max ${max}`;
      expect([context, parts.join('')]).toEqual([context, text]);
      let offset = 0;
      const allowed = boundaries(text);
      for (const part of parts) {
        expect([context, part.length > 0 && part.length <= max, wellFormed(part)]).toEqual([context, true, true]);
        offset += part.length;
        expect([context, allowed.has(offset)]).toEqual([context, true]);
        // Whitespace is preferred: a part cut elsewhere had no whitespace past its first tenth.
        const last = graphemesOf(part).at(-1) ?? '';
        if (offset < text.length && !/^\s+$/u.test(last)) {
          let end = 0;
          for (const g of graphemesOf(part)) {
            end += g.length;
            if (/^\s+$/u.test(g)) expect([context, end <= max * 0.1]).toEqual([context, true]);
          }
        }
      }
    }
  });

  it('when an emoji, a flag, a ZWJ family or a combining mark sits on the cut, then it moves whole to the next part', () => {
    expect(splitText('abcd😀e', 5)).toEqual(['abcd', '😀e']);
    expect(splitText('abc🇫🇷🇯🇵', 9)).toEqual(['abc🇫🇷', '🇯🇵']);
    expect(splitText('ab👨‍👩‍👧‍👦', 11)).toEqual(['ab', '👨‍👩‍👧‍👦']);
    expect(splitText('abcde\u0301f', 5)).toEqual(['abcd', 'e\u0301f']);
  });

  it('when there is whitespace in the part, then the cut is just after it and nothing is dropped', () => {
    expect(splitText('Bonjour à vous tous 🙂 merci', 12)).toEqual(['Bonjour à ', 'vous tous ', '🙂 merci']);
  });

  it('when one grapheme is longer than the limit, then it is cut between code points, never inside a surrogate pair', () => {
    const family = '👨‍👩‍👧‍👦';
    const parts = splitText(`x${family}`, 5);
    expect(parts.join('')).toBe(`x${family}`);
    expect(parts.every((p) => p.length <= 5 && wellFormed(p))).toBe(true);
    expect(() => splitText('😀😀', 1)).toThrow(PermanentError);
  });

  it('when the text fits or there is no limit, then it is one part', () => {
    expect(splitText('😀'.repeat(10), 20)).toEqual(['😀'.repeat(10)]);
    expect(splitText('x'.repeat(5000), undefined)).toEqual(['x'.repeat(5000)]);
  });
});
