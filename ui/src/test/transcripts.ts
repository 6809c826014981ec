import { emit } from "@tauri-apps/api/event";

import type {
  AiSettings,
  AiSettingsInput,
  ApiError,
  CallAnalysis,
  RecordingSummary,
  TranscribeProgress,
  Transcript,
} from "../bindings";
import { aiAnalysis, metrics, transcript } from "./fixtures";

export type TranscriptsOptions = {
  /** Transcripts made before the test, by recording id. */
  transcripts?: Record<string, Transcript>;
  /** Stored analyses, by recording id. */
  analyses?: Record<string, CallAnalysis>;
  /** The saved "Transcripts & AI" settings. */
  ai?: Partial<AiSettings>;
  /** `transcribe_recording` waits until the test calls `finishTranscription()` or the UI cancels. */
  holdTranscription?: boolean;
};

const refuse = (code: ApiError["code"], message: string): ApiError => ({ code, message });
const NO_AUDIO = refuse("no_local_audio", "The audio of this recording is not on this computer. Download it first.");

/** Where the typed words are in a transcript, as the backend's FTS snippet marks them. */
function snippetOf(t: Transcript | undefined, search: string): string | null {
  const needle = search.trim().toLowerCase();
  if (!t || !needle) return null;
  for (const s of t.segments) {
    const at = s.text.toLowerCase().indexOf(needle);
    if (at >= 0) {
      const end = at + needle.length;
      return `${s.text.slice(0, at)}\u0002${s.text.slice(at, end)}\u0003${s.text.slice(end)}`;
    }
  }
  return null;
}

/** Transcripts, call analysis and the AI settings, as the Rust side keeps them. */
export function transcriptsDouble(opts: TranscriptsOptions, find: (id: unknown) => RecordingSummary) {
  const transcripts = new Map(Object.entries(opts.transcripts ?? {}));
  const analyses = new Map(Object.entries(opts.analyses ?? {}));
  let ai: AiSettings = {
    engine: "local",
    baseUrl: null,
    transcriptionModel: "whisper-1",
    chatModel: "gpt-4o-mini",
    hasApiKey: false,
    keyForOtherAddress: false,
    keyStore: "keyring",
    localAvailable: true,
    ...opts.ai,
  };
  let savedKey: string | null = null;
  // Like the backend, a key belongs to the address it was saved with.
  let keyKept = ai.hasApiKey;
  let keyAddress = ai.baseUrl;
  let held: { id: string; finish: () => void; reject: (e: ApiError) => void } | null = null;

  const analysisOf = (id: string): CallAnalysis =>
    analyses.get(id) ?? { metrics: null, ai: null, aiModel: null, updatedAt: null };
  const saveAnalysis = (id: string, patch: Partial<CallAnalysis>) =>
    analyses.set(id, { ...analysisOf(id), ...patch, updatedAt: "2026-11-21T10:15:00Z" });
  const done = (id: string) => {
    const made = transcript();
    transcripts.set(id, made);
    return made;
  };

  const commands: Record<string, (a: Record<string, unknown>) => unknown> = {
    get_transcript: (a) => transcripts.get(find(a.id).id) ?? null,
    transcribe_recording: (a) => {
      const r = find(a.id);
      if (!r.availableOffline) throw NO_AUDIO;
      if (!opts.holdTranscription) return done(r.id);
      return new Promise<Transcript>((resolve, reject) => {
        held = { id: r.id, finish: () => resolve(done(r.id)), reject };
      });
    },
    cancel_transcription: (a) => {
      const job = held;
      if (job && job.id === a.id) job.reject(refuse("cancelled", "The transcription was cancelled."));
      held = null;
      return null;
    },
    ai_settings: () => ai,
    save_ai_settings: (a) => {
      const input = a.settings as AiSettingsInput;
      if (input.baseUrl && !/^https?:\/\//.test(input.baseUrl)) {
        throw refuse("invalid_input", "The base URL must start with https:// (or http:// for a local service).");
      }
      if (input.apiKey) {
        savedKey = input.apiKey;
        keyKept = true;
        keyAddress = input.baseUrl;
      } else if (input.clearApiKey || keyAddress !== input.baseUrl) {
        savedKey = null;
        keyKept = false;
      }
      ai = {
        ...ai,
        engine: input.engine,
        baseUrl: input.baseUrl,
        transcriptionModel: input.transcriptionModel ?? "whisper-1",
        chatModel: input.chatModel ?? "gpt-4o-mini",
        hasApiKey: keyKept,
      };
      return ai;
    },
    get_analysis: (a) => analysisOf(find(a.id).id),
    analyse_audio: (a) => {
      const r = find(a.id);
      if (!r.availableOffline) throw NO_AUDIO;
      saveAnalysis(r.id, { metrics: metrics() });
      return metrics();
    },
    analyse_with_ai: (a) => {
      const r = find(a.id);
      if (!transcripts.has(r.id)) throw refuse("invalid_input", "Transcribe the call first: the AI reads the transcript.");
      saveAnalysis(r.id, { ai: aiAnalysis(), aiModel: ai.chatModel });
      return aiAnalysis();
    },
  };

  return {
    commands,
    /** The search's transcript line for a row, with the matched words marked; null when none matched. */
    matchOf: (id: string, search: string) => snippetOf(transcripts.get(id), search),
    /** The API key as last saved (the UI never gets it back). */
    savedKey: () => savedKey,
    finishTranscription: () => {
      held?.finish();
      held = null;
    },
    /** The backend says how far the running transcription has got. */
    progress: (progress: TranscribeProgress) => emit("transcription-progressed", { progress }),
  };
}
