import type { RecordingDetails, RecordingSummary } from "../bindings";

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
