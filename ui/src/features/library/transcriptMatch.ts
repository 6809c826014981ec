import type { Piece } from "../transcript";

/** The backend marks the matched words of a snippet with these two control characters. */
const START = "\u0002";
const END = "\u0003";

/**
 * A snippet cut at its marks into plain and matched runs. The text is data: it becomes text
 * nodes and <mark> elements, never markup. Stray or unbalanced marks are dropped.
 */
export function matchPieces(snippet: string): Piece[] {
  const pieces: Piece[] = [];
  let hit = false;
  let run = "";
  const flush = () => {
    if (run) pieces.push({ text: run, hit });
    run = "";
  };
  for (const ch of snippet) {
    if (ch === START || ch === END) {
      flush();
      hit = ch === START;
    } else {
      run += ch;
    }
  }
  flush();
  return pieces;
}
