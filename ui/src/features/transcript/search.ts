/** A run of text, `hit` when it is one of the searched words. */
export type Piece = { text: string; hit: boolean };

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What was typed, as the words to look for; longest first so "refund" wins over "ref". */
export function searchWords(typed: string): string[] {
  const words = typed.trim().split(/\s+/).filter(Boolean);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * A matcher for a line: it contains every word (case-insensitive). Regex flags rather than
 * `toLowerCase`, which can change a string's length and so the offsets of the pieces.
 */
export function lineMatcher(words: string[]): (text: string) => boolean {
  const each = words.map((w) => new RegExp(escape(w), "iu"));
  return (text) => each.every((re) => re.test(text));
}

/** `text` cut into plain and matched runs, for rendering the matches as <mark>. */
export function highlightPieces(text: string, words: string[]): Piece[] {
  if (words.length === 0) return [{ text, hit: false }];
  const re = new RegExp(words.map(escape).join("|"), "giu");
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of text.matchAll(re)) {
    const start = match.index;
    if (start > at) pieces.push({ text: text.slice(at, start), hit: false });
    pieces.push({ text: match[0], hit: true });
    at = start + match[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), hit: false });
  return pieces;
}
