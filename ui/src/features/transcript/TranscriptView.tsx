import { useMemo, useState } from "react";

import type { Transcript } from "../../bindings";
import { lineMatcher, searchWords } from "./search";
import { TranscriptLines } from "./TranscriptLines";

type Props = { recordingId: string; transcript: Transcript };

/** A transcript's lines with a search that narrows them to the lines saying the typed words. */
export function TranscriptView({ recordingId, transcript }: Props) {
  const [typed, setTyped] = useState("");
  const segments = transcript.segments;
  const words = useMemo(() => searchWords(typed), [typed]);
  const shown = useMemo(() => {
    const matches = lineMatcher(words);
    return segments.flatMap((s, i) => (matches(s.text) ? [i] : []));
  }, [segments, words]);

  if (segments.length === 0) return <p className="muted small">No speech was recognised in this call.</p>;

  return (
    <>
      <div className="tsearch">
        <input
          type="search"
          value={typed}
          placeholder="Find words in the transcript"
          aria-label="Find words in the transcript"
          data-testid="transcript-search"
          maxLength={100}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => e.key === "Escape" && setTyped("")}
        />
        {words.length > 0 && (
          <span className="muted small nowrap" role="status">
            {shown.length} of {segments.length} lines
          </span>
        )}
      </div>
      {shown.length > 0 ? (
        <TranscriptLines recordingId={recordingId} segments={segments} shown={shown} words={words} />
      ) : (
        <p className="muted small">No line says that.</p>
      )}
    </>
  );
}
