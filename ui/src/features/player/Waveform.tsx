import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState, type PointerEvent } from "react";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";
import { formatPosition } from "../../lib/format";
import { useTheme } from "../../lib/theme";
import { recordingKeys } from "../../lib/queryKeys";
import { drawWaveform } from "./draw";

/** Peaks asked of the backend: about one per two pixels of a wide window. */
const BUCKETS = 800;

type Props = { recordingId: string | null; positionMs: number; durationMs: number; onSeek: (ms: number) => void };

/** Where along the element a pointer is, 0..1. */
function fractionAt(event: PointerEvent<HTMLElement>): number {
  const rect = event.currentTarget.getBoundingClientRect();
  if (rect.width <= 0) return 0;
  return Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width));
}

/** The scrubber: the call's peaks on a canvas, notes as markers; click or drag to seek. */
export function Waveform({ recordingId, positionMs, durationMs, onSeek }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const [size, setSize] = useState(0);
  // The canvas reads its colours from the theme when it paints: a new theme, a new painting.
  const theme = useTheme();
  const wave = useQuery({
    queryKey: ["waveform", recordingId, BUCKETS],
    queryFn: () => unwrap(commands.recordingWaveform(recordingId ?? "", BUCKETS)),
    enabled: recordingId !== null,
    staleTime: Infinity,
    retry: false,
  });
  // The same cache as the details panel's notes: a note added there shows here at once.
  const notes = useQuery({
    queryKey: recordingKeys.notes(recordingId ?? ""),
    queryFn: () => unwrap(commands.listNotes(recordingId ?? "")),
    enabled: recordingId !== null,
  });
  const shownNotes = recordingId ? (notes.data ?? []) : [];
  const duration = durationMs || wave.data?.durationMs || 0;
  const progress = drag ?? (duration > 0 ? positionMs / duration : 0);

  useEffect(() => {
    const el = canvas.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setSize(el.clientWidth * 10_000 + el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (canvas.current) drawWaveform(canvas.current, recordingId ? wave.data : undefined, progress);
  }, [wave.data, progress, size, recordingId, theme]);

  const seekable = recordingId !== null && duration > 0;
  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!seekable || event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    setDrag(fractionAt(event));
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (drag !== null) setDrag(fractionAt(event));
  };
  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    if (drag === null) return;
    const at = fractionAt(event);
    setDrag(null);
    onSeek(at * duration);
  };

  return (
    <div className="waveform">
      <canvas
        ref={canvas}
        data-testid="player-waveform"
        role="slider"
        aria-label="Position in the recording"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration / 1000)}
        aria-valuenow={Math.round((progress * duration) / 1000)}
        aria-valuetext={`${formatPosition(progress * duration)} of ${formatPosition(duration)}`}
        className={seekable ? "seekable" : undefined}
        // In the Tab order once there is something to seek: ←/→ (the player's keys) nudge it.
        tabIndex={seekable ? 0 : undefined}
        onKeyDown={(e) => {
          if (!seekable || (e.key !== "Home" && e.key !== "End")) return;
          e.preventDefault();
          onSeek(e.key === "Home" ? 0 : duration);
        }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
      />
      {seekable &&
        shownNotes.map((note) => (
          <button
            key={note.id}
            type="button"
            className="wave-marker"
            data-testid="player-note-marker"
            data-note={`@${formatPosition(note.positionMs)} ${note.body}`}
            aria-label={`Note at ${formatPosition(note.positionMs)}: ${note.body}`}
            style={{ left: `${Math.min(100, (note.positionMs / duration) * 100)}%` }}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onSeek(note.positionMs)}
          />
        ))}
      {wave.isError && recordingId && <span className="wave-missing muted small">No waveform</span>}
    </div>
  );
}
