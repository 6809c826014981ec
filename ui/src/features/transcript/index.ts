// Transcripts: a recording's panel, its progress events, and the words a search matched.
export { TranscriptPanel } from "./TranscriptPanel";
export { useTranscript } from "./api";
export { useTranscriptionEvents } from "./useTranscriptionEvents";
export { type Piece } from "./search";
