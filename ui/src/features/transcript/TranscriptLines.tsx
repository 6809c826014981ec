import { Fragment, memo, useCallback, useEffect, useRef } from "react";

import type { Segment, Speaker } from "../../bindings";
import { formatPosition } from "../../lib/format";
import { playFrom, usePlayerSelect, type PlayerSnapshot } from "../player";
import { highlightPieces } from "./search";

const SPEAKERS: Record<Speaker, string> = { agent: "Agent", customer: "Customer", mixed: "Speaker" };

/** After the reader scrolls the lines themselves, following the player waits this long. */
const HANDS_OFF_MS = 4_000;

/** The segment the player is in, for this recording (the later one where two channels overlap); -1 if none. */
function currentIndex(segments: Segment[], recordingId: string, { state }: PlayerSnapshot): number {
  if (state.recordingId !== recordingId || state.status === "stopped") return -1;
  let found = -1;
  segments.forEach((s, i) => {
    if (s.startMs <= state.positionMs && state.positionMs < s.endMs) found = i;
  });
  return found;
}

type Props = {
  recordingId: string;
  segments: Segment[];
  /** Which of the segments to list (a search may leave some out), in order. */
  shown: number[];
  /** Searched words, highlighted in each line. */
  words: string[];
};

/** The transcript's lines: the one being played is marked and kept in view; a click plays from a line. */
export function TranscriptLines({ recordingId, segments, shown, words }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const touched = useRef(0);
  const index = usePlayerSelect((snapshot) => currentIndex(segments, recordingId, snapshot));
  const onPick = useCallback((ms: number) => void playFrom(recordingId, ms), [recordingId]);

  useEffect(() => {
    const box = list.current;
    const line = box?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!box || !line || Date.now() - touched.current < HANDS_OFF_MS) return;
    // Only this list scrolls (scrollIntoView would move the whole panel), and focus stays put.
    const top = line.offsetTop;
    const bottom = top + line.offsetHeight;
    if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }, [index]);

  const handsOn = () => {
    touched.current = Date.now();
  };

  return (
    <ol className="tlines" ref={list} onWheel={handsOn} onTouchMove={handsOn} onPointerDown={handsOn} aria-label="Transcript lines">
      {shown.map((i) => {
        const segment = segments[i];
        return segment && <Line key={i} segment={segment} current={i === index} words={words} onPick={onPick} />;
      })}
    </ol>
  );
}

type LineProps = { segment: Segment; current: boolean; words: string[]; onPick: (ms: number) => void };

const Line = memo(function Line({ segment: s, current, words, onPick }: LineProps) {
  return (
    <li>
      <button
        type="button"
        className="tline"
        data-testid="transcript-line"
        data-start-ms={s.startMs}
        aria-current={current ? "true" : undefined}
        title={`Play from ${formatPosition(s.startMs)}`}
        // No focus from a click: Space then reaches the player, not this line.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onPick(s.startMs)}
      >
        <span className="tline-time mono">{formatPosition(s.startMs)}</span>
        <span className={`tline-speaker ${s.speaker}`}>{SPEAKERS[s.speaker]}</span>
        <span className="tline-text">
          {highlightPieces(s.text, words).map((p, i) =>
            p.hit ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>,
          )}
        </span>
      </button>
    </li>
  );
});
