import "./transcript.css";

import type { RecordingDetails } from "../../bindings";
import { CommandError } from "../../lib/command";
import { formatDateTime } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { useTranscript, useTranscription } from "./api";
import { TranscriptionStatus } from "./TranscriptionStatus";
import { TranscriptView } from "./TranscriptView";

const NEED_AUDIO = "Download the audio first";
const ENGINES = { local: "Local engine", remote: "Remote service" } as const;

type Props = { details: RecordingDetails };

/** The transcript of the recording in the details panel: make one, follow it while playing, search it. */
export function TranscriptPanel({ details }: Props) {
  const id = details.summary.id;
  const offline = details.summary.availableOffline;
  const transcript = useTranscript(id);
  const job = useTranscription(id);
  const data = transcript.data;
  const cancelled = job.error instanceof CommandError && job.error.code === "cancelled";

  return (
    <section className="transcript" data-testid="transcript-panel" aria-label="Transcript">
      <div className="section-head">
        <h3>Transcript</h3>
        {data && (
          <span className="muted small">
            {ENGINES[data.engine]} · {formatDateTime(data.createdAt)}
          </span>
        )}
        <span className="spacer" />
        {data && !job.running && (
          <button
            type="button"
            className="link small"
            data-testid="transcribe-again"
            disabled={!offline}
            title={offline ? undefined : NEED_AUDIO}
            onClick={job.start}
          >
            Transcribe again
          </button>
        )}
      </div>
      {transcript.isPending && <p className="muted small">Loading…</p>}
      {transcript.isError && (
        <p role="alert" className="error-text small">
          {errorMessage(transcript.error)}
        </p>
      )}
      {transcript.isSuccess && !data && !job.running && (
        <div className="transcribe-row">
          <button
            type="button"
            data-testid="transcribe-button"
            disabled={!offline}
            title={offline ? "Turn the call's speech into text" : NEED_AUDIO}
            onClick={job.start}
          >
            Transcribe
          </button>
          {!offline && (
            <span className="muted small" data-testid="transcribe-reason">
              {NEED_AUDIO}
            </span>
          )}
        </div>
      )}
      {job.running && <TranscriptionStatus progress={job.progress} cancelling={job.cancelling} onCancel={job.cancel} />}
      {job.error && (
        <p role={cancelled ? "status" : "alert"} className={cancelled ? "muted small" : "error-text small"} data-testid="transcript-error">
          {errorMessage(job.error)}
        </p>
      )}
      {data && <TranscriptView recordingId={id} transcript={data} />}
    </section>
  );
}
