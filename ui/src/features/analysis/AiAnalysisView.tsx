import type { AiAnalysis, Sentiment } from "../../bindings";
import { formatDateTime } from "../../lib/format";

const SENTIMENTS: Record<Sentiment, string> = {
  positive: "Positive",
  neutral: "Neutral",
  negative: "Negative",
  mixed: "Mixed",
};

type Props = { ai: AiAnalysis; model: string | null; updatedAt: string | null };

/** What the model made of the transcript. Everything in it is the model's text, shown as text. */
export function AiAnalysisView({ ai, model, updatedAt }: Props) {
  return (
    <div className="ai-result" data-testid="analysis-ai">
      <div className="ai-line">
        <span className={`sentiment ${ai.sentiment}`} data-testid="analysis-sentiment">
          {SENTIMENTS[ai.sentiment]}
        </span>
        {ai.topics.length > 0 && (
          <ul className="topics" aria-label="Topics">
            {ai.topics.map((t) => (
              <li key={t} className="tag">
                {t}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="ai-summary">{ai.summary}</p>
      <h4>Action items</h4>
      {ai.actionItems.length > 0 ? (
        <ul className="action-items">
          {ai.actionItems.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      ) : (
        <p className="muted small">None</p>
      )}
      {(model || updatedAt) && (
        <p className="muted small" data-testid="analysis-model">
          {model ? `By ${model}` : "By the AI service"}
          {updatedAt && ` · ${formatDateTime(updatedAt)}`}
        </p>
      )}
    </div>
  );
}
