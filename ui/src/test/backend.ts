import { mockIPC } from "@tauri-apps/api/mocks";

import type {
  ApiError,
  CleanupPolicy,
  PlayerState,
  RecordingDetails,
  RecordingSliceRequest,
  RecordingSummary,
  SignedInUser,
} from "../bindings";
import { details, summary } from "./fixtures";

export type Call = { cmd: string; args: Record<string, unknown> };

export type BackendOptions = {
  signedIn?: boolean;
  total?: number;
  failList?: boolean;
  /** Answers a command with this error instead of running it. */
  failWith?: Record<string, ApiError>;
  /** The player's state before any command (e.g. an error to show). */
  player?: Partial<PlayerState>;
};

/** A backend double over Tauri's IPC mock: the same commands and shapes as the Rust side, in memory. */
export function backend(opts: BackendOptions = {}) {
  let user: SignedInUser | null = opts.signedIn ? { displayName: "Demo agent", provider: "demo" } : null;
  const rows: RecordingSummary[] = Array.from({ length: opts.total ?? 120 }, (_, i) => summary(i + 1));
  const extra = new Map<string, RecordingDetails>();
  const calls: Call[] = [];
  let player: PlayerState = {
    recordingId: null,
    status: "stopped",
    positionMs: 0,
    durationMs: 0,
    volume: 1,
    speed: 1,
    pitchFollowsSpeed: true,
    outputDevice: true,
    error: null,
    ...opts.player,
  };
  const setPlayer = (patch: Partial<PlayerState>) => (player = { ...player, ...patch });
  const find = (id: unknown) => {
    const r = rows.find((x) => x.id === id);
    if (!r) throw { code: "not_found", message: "That recording could not be found." };
    return r;
  };

  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const failure = opts.failWith?.[cmd];
    if (failure) throw failure;
    switch (cmd) {
      case "session_status":
        return { user };
      case "open_demo_workspace":
        user = { displayName: "Demo agent", provider: "demo" };
        return user;
      case "sign_out":
        user = null;
        return null;
      case "list_recordings_after": {
        if (opts.failList) throw { code: "storage", message: "The local library could not be read or written." };
        const req = a.request as RecordingSliceRequest;
        const f = req.filter ?? {};
        let list = rows.filter(
          (r) =>
            (f.starred == null || r.starred === f.starred) &&
            (f.archived == null || r.archived === f.archived) &&
            (!f.search ||
              r.phoneNumber.includes(f.search.replace(/\D/g, "") || "\u0000") ||
              (r.contactName ?? "").toLowerCase().includes(f.search.toLowerCase())),
        );
        const dir = req.sortOrder === "asc" ? 1 : -1;
        const key = (r: RecordingSummary) =>
          req.sortBy === "duration" ? r.durationSecs : req.sortBy === "phone" ? r.phoneNumber : r.recordedAt;
        list = [...list].sort((x, y) => (key(x) < key(y) ? -dir : key(x) > key(y) ? dir : 0));
        const start = req.after ? Number(req.after) : 0;
        const limit = req.limit ?? 50;
        const end = start + limit;
        return {
          items: list.slice(start, end),
          nextCursor: end < list.length ? String(end) : null,
          total: req.after ? null : list.length,
        };
      }
      case "get_recording": {
        const r = find(a.id);
        return { ...details(r), ...extra.get(r.id), summary: r };
      }
      case "update_recording": {
        const r = find(a.id);
        const patch = a.patch as Partial<RecordingSummary>;
        if (typeof patch.starred === "boolean") r.starred = patch.starred;
        if (typeof patch.archived === "boolean") r.archived = patch.archived;
        return null;
      }
      case "bulk_update": {
        const ids = a.ids as string[];
        ids.forEach(find);
        for (const id of ids) {
          const r = find(id);
          if (a.action === "archive") r.archived = true;
          if (a.action === "star") r.starred = true;
        }
        return { changed: ids.length };
      }
      case "list_notes":
        return [];
      case "recording_stats":
        return {
          total: rows.length,
          totalDurationSecs: 1000,
          averageDurationSecs: 100,
          byStatus: [{ key: "ready", count: rows.length }],
          byDirection: [],
          byCategory: [{ key: "sales", count: rows.length }],
          starred: 0,
          archived: 0,
          onHold: 0,
          localFiles: 0,
          localBytes: 0,
        };
      case "preview_cleanup": {
        const policy = a.policy as CleanupPolicy;
        return {
          recordings: policy.olderThanDays,
          files: 7,
          bytes: 7 * 1024 * 1024,
          oldest: "2026-08-01T10:00:00Z",
          newest: "2026-10-01T10:00:00Z",
          skippedStarred: 2,
          skippedHeld: 1,
        };
      }
      case "run_cleanup":
        return { filesRemoved: 7, recordsRemoved: 0, bytesFreed: 7 * 1024 * 1024 };
      case "report_first_paint":
        return null;
      case "play_recording": {
        const r = find(a.recordingId);
        return setPlayer({ recordingId: r.id, status: "playing", positionMs: 0, durationMs: r.durationSecs * 1000 });
      }
      case "player_state":
        return player;
      case "player_pause":
        return setPlayer({ status: player.recordingId ? "paused" : player.status });
      case "player_resume":
        return setPlayer({ status: player.recordingId ? "playing" : player.status });
      case "player_stop":
        return setPlayer({ status: "stopped", positionMs: 0 });
      case "player_seek":
        return setPlayer({ positionMs: Math.min(player.durationMs, a.positionMs as number) });
      case "player_skip":
        return setPlayer({ positionMs: Math.max(0, Math.min(player.durationMs, player.positionMs + (a.deltaMs as number))) });
      case "player_set_volume":
        return setPlayer({ volume: a.volume as number });
      case "player_set_speed":
        return setPlayer({ speed: a.speed as number });
      case "recording_waveform": {
        const r = find(a.recordingId);
        const buckets = a.buckets as number;
        const peaks = Array.from({ length: buckets }, (_, i) => Math.abs(Math.sin(i / 7)) * 0.8);
        return { recordingId: r.id, durationMs: r.durationSecs * 1000, buckets, channels: [{ min: peaks.map((p) => -p), max: peaks }] };
      }
      case "twilio_status":
        return {
          account: null,
          store: "memory",
          lastSyncedAt: null,
          syncing: false,
          settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: null, notifyNew: false },
        };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return { calls, rows, callsOf: (cmd: string) => calls.filter((c) => c.cmd === cmd) };
}
