import type { AiAnalysis, AudioMetrics, RecordingDetails, RecordingSummary, Transcript } from "../bindings";

export function summary(n: number, overrides: Partial<RecordingSummary> = {}): RecordingSummary {
  return {
    id: `RE${n.toString(16).padStart(32, "0")}`,
    phoneNumber: `+1555000${String(n).padStart(4, "0")}`,
    contactName: n % 3 === 0 ? null : `Contact ${n}`,
    direction: n % 2 === 0 ? "inbound" : "outbound",
    status: "ready",
    durationSecs: 60 + n,
    recordedAt: new Date(Date.UTC(2026, 10, 20, 14, 32) - n * 60_000).toISOString(),
    category: "sales",
    starred: n % 5 === 0,
    archived: false,
    availableOffline: n % 4 === 0,
    transcriptMatch: null,
    ...overrides,
  };
}

export function details(s: RecordingSummary): RecordingDetails {
  return {
    summary: s,
    callSid: null,
    channels: 2,
    tags: ["vip"],
    priority: "normal",
    legalHold: false,
    notes: null,
    localFileBytes: null,
    playCount: 3,
    downloadCount: 0,
    lastPlayedAt: null,
    lastDownloadedAt: null,
  };
}

/** A two-channel call: agent and customer taking turns, with a gap of silence in between. */
export function transcript(lines: [number, number, "agent" | "customer", string][] = CALL): Transcript {
  return {
    engine: "local",
    createdAt: "2026-11-21T09:00:00Z",
    segments: lines.map(([startMs, endMs, speaker, text]) => ({
      startMs,
      endMs,
      channel: speaker === "agent" ? 0 : 1,
      speaker,
      text,
      words: text.split(" ").map((word, i, all) => {
        const step = (endMs - startMs) / all.length;
        return { startMs: Math.round(startMs + i * step), endMs: Math.round(startMs + (i + 1) * step), text: word };
      }),
    })),
  };
}

const CALL: [number, number, "agent" | "customer", string][] = [
  [0, 3_500, "agent", "Thanks for calling, how can I help"],
  [4_000, 9_000, "customer", "I would like a refund for my last order"],
  [9_500, 14_000, "agent", "Of course, let me look up the order"],
  [20_000, 26_000, "customer", "The parcel arrived damaged"],
];

export function metrics(): AudioMetrics {
  return {
    durationMs: 61_000,
    talkRatio: 0.62,
    silenceRatio: 0.38,
    longestSilenceMs: 6_000,
    loudnessDbfs: -22.5,
    peakDbfs: -3.1,
    channels: [
      { channel: 0, talkMs: 21_000, loudnessDbfs: -21.3 },
      { channel: 1, talkMs: 17_000, loudnessDbfs: -24.8 },
    ],
  };
}

export function aiAnalysis(): AiAnalysis {
  return {
    summary: "The customer asked for a refund for a damaged parcel.",
    sentiment: "negative",
    topics: ["refund", "damaged parcel"],
    actionItems: ["Issue the refund", "Email the return label"],
  };
}
