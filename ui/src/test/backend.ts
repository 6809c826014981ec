import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";

import type {
  ApiError,
  AppPrefs,
  CleanupPolicy,
  Diagnostics,
  PlayerState,
  RecordingDetails,
  RecordingFilter,
  RecordingSliceRequest,
  RecordingSummary,
  UserPrefs,
} from "../bindings";
import { defaultUserPrefs } from "../lib/prefs";
import { details, summary } from "./fixtures";
import { DEMO_USER, sessionDouble, type SessionOptions } from "./session";
import { transcriptsDouble, type TranscriptsOptions } from "./transcripts";

export type Call = { cmd: string; args: Record<string, unknown> };

export type BackendOptions = SessionOptions &
  TranscriptsOptions & {
    /** Recordings in each user's library. */
    total?: number;
    failList?: boolean;
    /** Answers a command with this error instead of running it. */
    failWith?: Record<string, ApiError>;
    /** The player's state before any command (e.g. an error to show). */
    player?: Partial<PlayerState>;
    /** Each account's saved preferences (by account key), and the computer's. */
    prefs?: Record<string, Partial<UserPrefs>>;
    appPrefs?: AppPrefs;
    /** Notices the first reading of preferences brings (a file that could not be read). */
    prefsNotices?: string[];
  };

/**
 * A user's own recordings. Every account's calls carry its name (contact "<name> caller <n>")
 * and their own ids, so a test sees at once whose rows are on screen.
 */
function libraryFor(accountKey: string, name: string, total: number): RecordingSummary[] {
  if (accountKey === DEMO_USER.accountKey) return Array.from({ length: total }, (_, i) => summary(i + 1));
  return Array.from({ length: total }, (_, i) =>
    summary(i + 1, { id: `RE-${accountKey}-${i + 1}`, contactName: `${name} caller ${i + 1}` }),
  );
}

/** What `diagnostics` answers: a report as the core writes it, masked. */
export function diagnosticsDouble(signedIn: boolean): Diagnostics {
  const data = signedIn ? { databaseBytes: 1_200_000, mediaBytes: 34_500_000, mediaFiles: 12 } : null;
  const recentProblems = ["2026-12-07T10:00:01Z ERROR calldeck_core::sync: sync failed for …0123 token=[redacted]"];
  const report = [
    "CallDeck 0.1.0",
    "Tauri 2.12.5 · WebKitGTK 2.48.3 · SQLite 3.46.0",
    "OS: Debian GNU/Linux 12 (bookworm) · linux x86_64",
    signedIn ? "Data: library 1.2 MB · audio 34.5 MB in 12 files" : "Data: nobody is signed in",
    "Logs: ~/.local/share/app.calldeck.desktop/logs",
    "Last problems (1):",
    `  ${recentProblems[0]}`,
  ].join("\n");
  return {
    appVersion: "0.1.0",
    tauriVersion: "2.12.5",
    webviewVersion: "2.48.3",
    sqliteVersion: "3.46.0",
    os: "Debian GNU/Linux 12 (bookworm) · linux x86_64",
    data,
    logFolder: "~/.local/share/app.calldeck.desktop/logs",
    recentProblems,
    report,
  };
}

/** A backend double over Tauri's IPC mock: the same commands and shapes as the Rust side, in memory, per user. */
export function backend(opts: BackendOptions = {}) {
  const total = opts.total ?? 120;
  const libraries = new Map<string, RecordingSummary[]>();
  const libraryOf = (accountKey: string, name = accountKey) => {
    let rows = libraries.get(accountKey);
    if (!rows) libraries.set(accountKey, (rows = libraryFor(accountKey, name, total)));
    return rows;
  };
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
  // As the backend does on every change of account: playback stops and forgets its recording.
  const session = sessionDouble(opts, {
    onSwitch: () => setPlayer({ recordingId: null, status: "stopped", positionMs: 0, durationMs: 0 }),
    onRemoveData: (accountKey) => libraries.delete(accountKey),
  });
  for (const a of [...(opts.accounts ?? []), ...(opts.browserSignsInAs ? [opts.browserSignsInAs] : [])]) {
    libraryOf(a.key, a.name);
  }
  const mine = () => {
    const user = session.current();
    if (!user) throw { code: "not_signed_in", message: "Your session has ended. Please sign in again." };
    return libraryOf(user.accountKey, user.displayName);
  };
  const find = (id: unknown) => {
    const rows = mine();
    const r = rows.find((x) => x.id === id);
    if (!r) throw { code: "not_found", message: "That recording could not be found." };
    return r;
  };
  const words = transcriptsDouble(opts, find);
  /** The signed-in person's recordings a filter matches, as the backend's listing and count see them. */
  const matching = (f: RecordingFilter) =>
    mine()
      .map((r) => ({ ...r, transcriptMatch: f.search ? words.matchOf(r.id, f.search) : null }))
      .filter(
        (r) =>
          (f.starred == null || r.starred === f.starred) &&
          (f.archived == null || r.archived === f.archived) &&
          (!f.search ||
            r.phoneNumber.includes(f.search.replace(/\D/g, "") || "\u0000") ||
            (r.contactName ?? "").toLowerCase().includes(f.search.toLowerCase()) ||
            r.transcriptMatch !== null),
      );
  // Preferences as the backend keeps them: per account, the theme also the computer's.
  const savedPrefs = new Map<string, UserPrefs>(
    Object.entries(opts.prefs ?? {}).map(([key, p]) => [key, { ...defaultUserPrefs(), ...p }]),
  );
  let appPrefs: AppPrefs = opts.appPrefs ?? { theme: "system" };

  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      const failure = opts.failWith?.[cmd];
      if (failure) throw failure;
      const delegated = session.commands[cmd] ?? words.commands[cmd];
      if (delegated) return delegated(a);
      switch (cmd) {
        case "count_recordings":
          return matching((a.filter ?? {}) as RecordingFilter).length;
        case "list_recordings_after": {
          if (opts.failList) throw { code: "storage", message: "The local library could not be read or written." };
          const req = a.request as RecordingSliceRequest;
          let list = matching(req.filter ?? {});
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
            total: req.after || req.withoutTotal ? null : list.length,
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
        case "list_audit":
          return [];
        case "recording_stats": {
          const rows = mine();
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
        }
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
        case "preferences": {
          const user = session.current();
          const prefs = user ? (savedPrefs.get(user.accountKey) ?? defaultUserPrefs()) : null;
          if (prefs) appPrefs = { theme: prefs.theme };
          return {
            app: appPrefs,
            user: prefs,
            accountKey: user?.accountKey ?? null,
            token: user ? `token-${user.accountKey}` : null,
            notices: opts.prefsNotices ?? [],
          };
        }
        case "save_preferences": {
          const user = session.current();
          if (!user || a.token !== `token-${user.accountKey}`) {
            throw { code: "not_signed_in", message: "Your session has ended. Please sign in again." };
          }
          const prefs = a.prefs as UserPrefs;
          savedPrefs.set(user.accountKey, prefs);
          appPrefs = { theme: prefs.theme };
          return prefs;
        }
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
            settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: null, notifyNew: false, twilioConcurrency: 8 },
          };
        case "diagnostics":
          return diagnosticsDouble(session.current() !== null);
        case "open_log_folder":
          return null;
        default:
          throw new Error(`unexpected command ${cmd}`);
      }
    },
    { shouldMockEvents: true },
  );
  const sessionChanged = () => emit("session-changed", {});
  const playerChanged = () => emit("player-state-changed", { state: player });
  return {
    calls,
    /** The demo workspace's recordings. */
    rows: libraryOf(DEMO_USER.accountKey),
    rowsOf: (accountKey: string) => libraryOf(accountKey),
    hasLibrary: (accountKey: string) => libraries.has(accountKey),
    callsOf: (cmd: string) => calls.filter((c) => c.cmd === cmd),
    /** What the backend holds for an account now (the defaults if nothing was saved). */
    prefsOf: (accountKey: string) => savedPrefs.get(accountKey) ?? defaultUserPrefs(),
    finishSignIn: session.finishSignIn,
    /** The backend ends the session on its own (a revoked grant) and says so. */
    endSession: async (notice: string) => {
      session.endSession(notice);
      await sessionChanged();
    },
    /** The player moves on its own (playback running), and says so as the backend does. */
    playerMoves: (patch: Partial<PlayerState>) => {
      setPlayer(patch);
      return playerChanged();
    },
    finishTranscription: words.finishTranscription,
    transcriptionProgress: words.progress,
    savedApiKey: words.savedKey,
    setOffline: async (offline: boolean) => {
      session.setOffline(offline);
      await sessionChanged();
    },
  };
}
