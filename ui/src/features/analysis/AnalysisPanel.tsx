import "./analysis.css";

import type { RecordingDetails } from "../../bindings";
import { useTranscript } from "../transcript";
import { AiAnalysisView } from "./AiAnalysisView";
import { useAnalyseAudio, useAnalyseWithAi, useAnalysis } from "./api";
import { AudioMetricsView } from "./AudioMetricsView";
import { errorMessage } from "../../lib/errors";

type Props = { details: RecordingDetails };

/** Call analysis in the details panel: measured from the audio, and read from the transcript by an AI. */
export function AnalysisPanel({ details }: Props) {
  const id = details.summary.id;
  const offline = details.summary.availableOffline;
  const analysis = useAnalysis(id);
  // The same cache as the transcript section: no second fetch.
  const transcript = useTranscript(id);
  const audio = useAnalyseAudio(id);
  const ai = useAnalyseWithAi(id);
  const stored = analysis.data;
  const hasTranscript = Boolean(transcript.data);
  const audioReason = offline ? null : "Download the audio to measure it.";
  const aiReason = transcript.isSuccess && !hasTranscript ? "Transcribe the call for the AI to read it." : null;

  return (
    <section className="analysis" data-testid="analysis-panel" aria-label="Call analysis">
      <div className="section-head">
        <h3>Analysis</h3>
      </div>
      <div className="analysis-actions">
        <button
          type="button"
          data-testid="analyse-audio"
          disabled={audio.isPending || !offline}
          title={audioReason ?? "Measure talk, silence and loudness"}
          onClick={() => audio.mutate()}
        >
          {audio.isPending ? "Analysing…" : stored?.metrics ? "Analyse audio again" : "Analyse audio"}
        </button>
        <button
          type="button"
          data-testid="analyse-ai"
          disabled={ai.isPending || !hasTranscript}
          title={aiReason ?? "Summarise the transcript with the AI service in Settings"}
          onClick={() => ai.mutate()}
        >
          {ai.isPending ? "Asking the AI…" : stored?.ai ? "Analyse with AI again" : "Analyse with AI"}
        </button>
      </div>
      {(audioReason || aiReason) && (
        <p className="muted small" data-testid="analysis-reason">
          {[audioReason, aiReason].filter(Boolean).join(" ")}
        </p>
      )}
      {analysis.isError && (
        <p role="alert" className="error-text small">
          {errorMessage(analysis.error)}
        </p>
      )}
      {audio.isError && (
        <p role="alert" className="error-text small" data-testid="analyse-audio-error">
          {errorMessage(audio.error)}
        </p>
      )}
      {stored?.metrics && <AudioMetricsView metrics={stored.metrics} />}
      {ai.isError && (
        <p role="alert" className="error-text small" data-testid="analyse-ai-error">
          {errorMessage(ai.error)}
        </p>
      )}
      {stored?.ai && <AiAnalysisView ai={stored.ai} model={stored.aiModel} updatedAt={stored.updatedAt} />}
    </section>
  );
}
