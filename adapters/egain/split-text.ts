import { PermanentError } from '../../src/errors.js';
import { textLength } from './wire.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WHITESPACE = /^\s+$/u;

/**
 * Splits text into parts of at most `max` (counted as wire.ts textLength) for a channel's
 * `maxTextLength`. Cuts fall between grapheme clusters, so an emoji, a flag, a ZWJ sequence or a
 * letter with its combining marks stays whole, and preferably just after whitespace. Lossless: the
 * parts joined are the text (the whitespace cut at stays at the end of its part).
 *
 * A single grapheme longer than `max` (only pathological stacks of combining marks, or a channel
 * limit below ten) is cut between its code points: it arrives as separate characters rather than not
 * at all. Never between the halves of a surrogate pair: a code point longer than `max` is an error.
 */
export function splitText(text: string, max: number | undefined): string[] {
  if (max === undefined || textLength(text) <= max) return [text];
  const parts: string[] = [];
  let chunk = '';
  /** Length of `chunk` up to just after its last whitespace, or -1. */
  let lastBreak = -1;
  for (const { segment } of graphemes.segment(text)) {
    for (const piece of textLength(segment) > max ? codePointPieces(segment, max) : [segment]) {
      while (textLength(chunk) + textLength(piece) > max) {
        // A break within the first tenth would leave a tiny part: cut at the grapheme boundary instead.
        const cut = lastBreak > max * 0.1 ? lastBreak : chunk.length;
        parts.push(chunk.slice(0, cut));
        chunk = chunk.slice(cut);
        lastBreak = -1;
      }
      chunk += piece;
      if (WHITESPACE.test(piece)) lastBreak = chunk.length;
    }
  }
  if (chunk !== '') parts.push(chunk);
  return parts;
}

function codePointPieces(grapheme: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const codePoint of grapheme) {
    if (textLength(codePoint) > max) {
      throw new PermanentError(`egain: a maxTextLength of ${max} cannot hold a character of ${textLength(codePoint)} UTF-16 code units`);
    }
    if (textLength(piece) + textLength(codePoint) > max) {
      pieces.push(piece);
      piece = '';
    }
    piece += codePoint;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
