import "./player.css";

import { useEffect } from "react";

import { formatDateTime, formatPhone, formatPosition } from "../../lib/format";
import { useRecording } from "../library";
import { restorePlayerPrefs, SKIP_MS, SPEEDS, seek, setSpeed, setVolume, skip, toggleMute, togglePlay } from "./actions";
import { playerErrorLine } from "./messages";
import { speedOf, usePlayer, volumeOf } from "./store";
import { usePlayerConnection } from "./usePlayerConnection";
import { usePlayerKeys } from "./usePlayerKeys";
import { VolumeIcon } from "./VolumeIcon";
import { Waveform } from "./Waveform";

/** Buttons that never take focus from a click, so Space stays the player's shortcut. */
const keepFocus = (event: { preventDefault: () => void }) => event.preventDefault();

/** The player along the bottom of the signed-in window. Mount once. */
export function PlayerBar() {
  usePlayerConnection();
  usePlayerKeys();
  useEffect(() => void restorePlayerPrefs(), []);
  const { state, commandError } = usePlayer();
  const recording = useRecording(state.recordingId);
  const loaded = state.recordingId !== null;
  const playing = state.status === "playing" || state.status === "buffering";
  const volume = volumeOf(state);
  const speed = speedOf(state);
  const error = playerErrorLine(state, commandError);
  const summary = recording.data?.summary;

  return (
    <footer className="player-bar" data-testid="player-bar" data-status={state.status} aria-label="Player">
      <div className="player-controls">
        <button
          type="button"
          className="player-play"
          data-testid="player-play"
          disabled={!loaded}
          aria-label={playing ? "Pause" : "Play"}
          title={playing ? "Pause (Space)" : "Play (Space)"}
          onMouseDown={keepFocus}
          onClick={() => void togglePlay()}
        >
          {playing ? "❚❚" : "▶"}
        </button>
        <button type="button" className="player-skip" disabled={!loaded} title="Back 10 s (J)" aria-label="Back 10 seconds"
          onMouseDown={keepFocus} onClick={() => void skip(-SKIP_MS)}>
          ↺ 10
        </button>
        <button type="button" className="player-skip" disabled={!loaded} title="Forward 10 s (L)" aria-label="Forward 10 seconds"
          onMouseDown={keepFocus} onClick={() => void skip(SKIP_MS)}>
          10 ↻
        </button>
      </div>
      <div className="player-now" data-testid="player-now" data-recording={state.recordingId ?? ""}>
        {summary ? (
          <>
            <span className="mono player-number">{formatPhone(summary.phoneNumber)}</span>
            <span className="muted small">{formatDateTime(summary.recordedAt)}</span>
          </>
        ) : (
          <span className="muted small">{loaded ? "…" : "Nothing playing — pick a call and press Play"}</span>
        )}
      </div>
      <Waveform recordingId={state.recordingId} positionMs={state.positionMs} durationMs={state.durationMs} onSeek={(ms) => void seek(ms)} />
      <span className="player-time mono" data-testid="player-time">
        {formatPosition(state.positionMs)} / {formatPosition(state.durationMs)}
      </span>
      <label className="player-speed" title="Speed ([ slower, ] faster)">
        <span className="visually-hidden">Speed</span>
        <select
          data-testid="player-speed"
          value={String(SPEEDS.find((s) => Math.abs(s - speed) < 0.01) ?? speed)}
          onChange={(e) => {
            void setSpeed(Number(e.target.value));
            e.target.blur();
          }}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <div className="player-volume">
        <button
          type="button"
          className="icon"
          data-testid="player-mute"
          aria-pressed={volume === 0}
          aria-label={volume === 0 ? "Unmute" : "Mute"}
          title={volume === 0 ? "Unmute (M)" : "Mute (M)"}
          onMouseDown={keepFocus}
          onClick={() => void toggleMute()}
        >
          <VolumeIcon muted={volume === 0} />
        </button>
        <input
          type="range"
          data-testid="player-volume"
          aria-label="Volume"
          min={0}
          max={1}
          step={0.05}
          value={volume}
          onChange={(e) => void setVolume(Number(e.target.value))}
        />
      </div>
      <div className="player-status small">
        {state.status === "buffering" && (
          <span className="player-buffering" data-testid="player-buffering" role="status">
            <span className="spinner" aria-hidden="true" /> Buffering…
          </span>
        )}
        {error && (
          <span className={`player-error ${error.kind}`} data-testid="player-error" role="alert">
            {error.text}
          </span>
        )}
        <span className="spacer" />
        {state.pitchFollowsSpeed && (
          <span className={speed === 1 ? "muted" : "player-pitch"} data-testid="player-pitch">
            Pitch changes with speed
          </span>
        )}
      </div>
    </footer>
  );
}
