import { commands, type ApiError, type PlayerState } from "../../bindings";
import { CommandError, unwrap } from "../../lib/command";
import { getPrefs, updatePrefs } from "../../lib/prefs";
import { getPlayer, rememberVolume, setCommandError, setPlayerState, speedOf, volumeOf } from "./store";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
export const SKIP_MS = 10_000;
export const NUDGE_MS = 5_000;

type Result = Promise<{ status: "ok"; data: PlayerState } | { status: "error"; error: ApiError }>;

function asApiError(error: unknown): ApiError {
  if (error instanceof CommandError) return { code: error.code, message: error.message };
  return { code: "internal", message: "Something went wrong inside CallDeck. Please try again." };
}

/** Runs a player command; its answer is the new state, its failure the bar's error line. */
async function run(result: Result) {
  try {
    const state = await unwrap(result);
    setPlayerState(state);
    setCommandError(null);
  } catch (error) {
    setCommandError(asApiError(error));
  }
}

export function play(recordingId: string) {
  return run(commands.playRecording(recordingId));
}

export function togglePlay() {
  const { state } = getPlayer();
  if (!state.recordingId) return Promise.resolve();
  if (state.status === "playing" || state.status === "buffering") return run(commands.playerPause());
  return run(commands.playerResume());
}

export function seek(positionMs: number) {
  const { durationMs } = getPlayer().state;
  const to = Math.round(Math.max(0, durationMs > 0 ? Math.min(durationMs, positionMs) : positionMs));
  // Shown at once; the backend's answer confirms it.
  setPlayerState({ ...getPlayer().state, positionMs: to });
  return run(commands.playerSeek(to));
}

/**
 * Plays `recordingId` from `positionMs`: loads it first unless it is the one in the player,
 * and resumes a paused one, since picking a place to listen from means listening.
 */
export async function playFrom(recordingId: string, positionMs: number) {
  const { state } = getPlayer();
  const loaded = state.recordingId === recordingId && state.status !== "stopped" && state.status !== "ended";
  if (!loaded) {
    await play(recordingId);
    const after = getPlayer();
    if (after.commandError || after.state.recordingId !== recordingId) return;
  }
  await seek(positionMs);
  if (getPlayer().state.status === "paused") await run(commands.playerResume());
}

export function skip(deltaMs: number) {
  return run(commands.playerSkip(deltaMs));
}

export function setSpeed(speed: number) {
  updatePrefs({ speedPercent: percent(speed) });
  setPlayerState({ ...getPlayer().state, speed });
  return run(commands.playerSetSpeed(speed));
}

/** One step along SPEEDS: -1 slower, +1 faster. */
export function stepSpeed(direction: -1 | 1) {
  const current = speedOf(getPlayer().state);
  const at = SPEEDS.findIndex((s) => Math.abs(s - current) < 0.01);
  const index = at < 0 ? SPEEDS.indexOf(1) : at;
  const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, index + direction))];
  return next === undefined || next === current ? Promise.resolve() : setSpeed(next);
}

export function setVolume(volume: number) {
  if (volume > 0) rememberVolume(volume);
  updatePrefs(volume > 0 ? { volumePercent: percent(volume), muted: false } : { muted: true });
  // The slider follows the hand at once; the backend's answer confirms it.
  setPlayerState({ ...getPlayer().state, volume });
  return run(commands.playerSetVolume(volume));
}

export function toggleMute() {
  const { state, unmutedVolume } = getPlayer();
  const volume = volumeOf(state);
  if (volume > 0) {
    rememberVolume(volume);
    updatePrefs({ volumePercent: percent(volume), muted: true });
    return run(commands.playerSetVolume(0));
  }
  const level = unmutedVolume > 0 ? unmutedVolume : 1;
  updatePrefs({ volumePercent: percent(level), muted: false });
  return run(commands.playerSetVolume(level));
}

/**
 * Gives the player the person's kept level, mute and speed (the backend forgets them at
 * every change of account, with the playback).
 */
export async function restorePlayerPrefs() {
  const { volumePercent, muted, speedPercent } = getPrefs();
  const volume = volumePercent / 100;
  rememberVolume(volume > 0 ? volume : 1);
  await run(commands.playerSetVolume(muted ? 0 : volume));
  await run(commands.playerSetSpeed(speedPercent / 100));
}

/** Preferences keep levels as whole percents. */
const percent = (fraction: number) => Math.round(fraction * 100);
