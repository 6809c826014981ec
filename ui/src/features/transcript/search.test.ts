import { describe, expect, it } from "vitest";

import { highlightPieces, lineMatcher, searchWords } from "./search";

describe("transcript search", () => {
  it("matches lines holding every typed word, whatever the case", () => {
    const matches = lineMatcher(searchWords("Refund  ORDER"));
    expect(matches("I would like a refund for my order")).toBe(true);
    expect(matches("A refund please")).toBe(false);
  });

  it("cuts a line into plain and matched runs", () => {
    expect(highlightPieces("Refund the refund", searchWords("refund"))).toEqual([
      { text: "Refund", hit: true },
      { text: " the ", hit: false },
      { text: "refund", hit: true },
    ]);
  });

  it("takes what was typed literally, pattern characters included", () => {
    expect(lineMatcher(searchWords("(a+"))("x (a+ y")).toBe(true);
    expect(highlightPieces("a.b", searchWords("."))).toEqual([
      { text: "a", hit: false },
      { text: ".", hit: true },
      { text: "b", hit: false },
    ]);
  });
});
