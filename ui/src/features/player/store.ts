import { useSyncExternalStore } from "react";

import type { ApiError, PlayerState } from "../../bindings";

/** What the player bar shows: the backend's state, plus the last command's failure. */
export type PlayerSnapshot = {
  state: PlayerState;
  /** A command that failed (e.g. play of a recording not on disk), until the next one succeeds. */
  commandError: ApiError | null;
  /** The volume to come back to after unmuting. */
  unmutedVolume: number;
};

export const IDLE: PlayerState = {
  recordingId: null,
  status: "stopped",
  positionMs: 0,
  durationMs: 0,
  volume: 1,
  speed: 1,
  pitchFollowsSpeed: true,
  outputDevice: true,
  error: null,
};

const fresh = (): PlayerSnapshot => ({ state: IDLE, commandError: null, unmutedVolume: 1 });

let snapshot = fresh();
const listeners = new Set<() => void>();

function publish(next: PlayerSnapshot) {
  snapshot = next;
  for (const listener of listeners) listener();
}

export function getPlayer(): PlayerSnapshot {
  return snapshot;
}

export function setPlayerState(state: PlayerState) {
  publish({ ...snapshot, state });
}

export function setCommandError(commandError: ApiError | null) {
  if (snapshot.commandError !== commandError) publish({ ...snapshot, commandError });
}

export function rememberVolume(unmutedVolume: number) {
  publish({ ...snapshot, unmutedVolume });
}

/** Forgets everything (sign-out, tests): one user's playback never shows to the next. */
export function resetPlayer() {
  publish(fresh());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePlayer(): PlayerSnapshot {
  return useSyncExternalStore(subscribe, getPlayer, getPlayer);
}

/**
 * One value derived from the player, re-rendering only when it changes: a transcript follows
 * the position (ten updates a second) but redraws only when the current line changes.
 */
export function usePlayerSelect<T extends string | number | boolean | null>(select: (snapshot: PlayerSnapshot) => T): T {
  return useSyncExternalStore(subscribe, () => select(getPlayer()), () => select(getPlayer()));
}

/** The volume as a number (the backend sends null for a value JSON cannot carry). */
export const volumeOf = (state: PlayerState) => state.volume ?? 1;
export const speedOf = (state: PlayerState) => state.speed ?? 1;
