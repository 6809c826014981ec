import { Fragment } from "react";

import { matchPieces } from "./transcriptMatch";

/** The transcript line a word search found, its matched words highlighted. */
export function TranscriptMatch({ snippet }: { snippet: string }) {
  const pieces = matchPieces(snippet);
  return (
    <span className="row-match" data-testid="transcript-match" title={pieces.map((p) => p.text).join("")}>
      “
      {pieces.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}”
    </span>
  );
}
