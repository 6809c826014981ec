import type { ReactNode } from "react";

import type { AudioMetrics } from "../../bindings";
import { formatPosition } from "../../lib/format";

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const dbfs = (db: number | null) => (db === null ? "—" : `${db.toFixed(1)} dBFS`);
/** Short pauses read better in seconds ("6.0 s") than as "0:06". */
const pause = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatPosition(ms));

/** Channel 0 is the agent and 1 the customer in two-channel calls; a mono call is one mixed voice. */
function channelName(channel: number, channels: number): string {
  if (channels === 1) return "Speech";
  if (channels === 2) return channel === 0 ? "Agent" : "Customer";
  return `Channel ${channel + 1}`;
}

/** Talk against silence, the longest pause, each side's talk time and the loudness. */
export function AudioMetricsView({ metrics: m }: { metrics: AudioMetrics }) {
  const talk = m.talkRatio;
  return (
    <div className="metrics" data-testid="analysis-metrics">
      {talk === null ? (
        <p className="muted small">No speech was found in this recording.</p>
      ) : (
        <>
          <div className="talk-bar" role="img" aria-label={`Talk ${percent(talk)}, silence ${percent(1 - talk)}`}>
            <span className="talk" style={{ width: percent(talk) }} />
          </div>
          <div className="talk-legend small">
            <span>
              <i className="swatch talk" /> Talk {percent(talk)}
            </span>
            <span>
              <i className="swatch" /> Silence {percent(m.silenceRatio ?? 1 - talk)}
            </span>
          </div>
        </>
      )}
      <dl>
        <dt>Longest silence</dt>
        <dd className="mono">{pause(m.longestSilenceMs)}</dd>
        {m.channels.map((c) => (
          <MetricRow key={c.channel} label={channelName(c.channel, m.channels.length)}>
            {formatPosition(c.talkMs)} talking · {dbfs(c.loudnessDbfs)}
          </MetricRow>
        ))}
        <dt>Loudness</dt>
        <dd className="mono">
          {dbfs(m.loudnessDbfs)} · peak {dbfs(m.peakDbfs)}
        </dd>
      </dl>
    </div>
  );
}

function MetricRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono">{children}</dd>
    </>
  );
}
