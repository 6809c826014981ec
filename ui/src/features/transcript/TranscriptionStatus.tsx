import type { TranscribeProgress, TranscribeStage } from "../../bindings";

const STAGES: Record<TranscribeStage, string> = {
  decoding: "Decoding the audio",
  transcribing: "Transcribing",
  saving: "Saving the transcript",
  done: "Finishing",
};

function describe(p: TranscribeProgress | null): string {
  if (!p) return "Starting…";
  // Two-channel calls go one channel at a time: the only sign of progress in a long call.
  const channel = p.stage === "transcribing" && p.channels > 1 ? ` · channel ${p.channel + 1} of ${p.channels}` : "";
  return `${STAGES[p.stage]}${channel}…`;
}

/** A rough share of the job done; undefined (an indeterminate bar) before the first event. */
function share(p: TranscribeProgress | null): number | undefined {
  if (!p) return undefined;
  switch (p.stage) {
    case "decoding":
      return 0.05;
    case "transcribing":
      return 0.1 + (0.85 * p.channel) / Math.max(1, p.channels);
    case "saving":
      return 0.95;
    case "done":
      return 1;
  }
}

type Props = { progress: TranscribeProgress | null; cancelling: boolean; onCancel: () => void };

/** How far the running transcription has got, with Cancel. */
export function TranscriptionStatus({ progress, cancelling, onCancel }: Props) {
  return (
    <div className="tprogress" data-testid="transcript-progress">
      <span role="status">{describe(progress)}</span>
      <progress max={1} value={share(progress)} aria-label="Transcription progress" />
      <button type="button" data-testid="transcript-cancel" disabled={cancelling} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
