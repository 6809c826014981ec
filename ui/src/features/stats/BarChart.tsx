type Bar = { label: string; value: number; tone?: string };

type Props = { title: string; bars: Bar[]; testId?: string };

const ROW = 26;
const LABEL_W = 110;
const WIDTH = 360;

/** Horizontal bars in plain SVG, scaled to the largest value. */
export function BarChart({ title, bars, testId }: Props) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barSpace = WIDTH - LABEL_W - 50;
  const height = Math.max(ROW, bars.length * ROW);
  // An image to assistive technology: its name carries the figures, not only the title.
  const spoken = `${title}: ${bars.map((b) => `${b.label} ${b.value.toLocaleString()}`).join(", ")}`;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={spoken}>
        {bars.map((b, i) => {
          const y = i * ROW;
          const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barSpace);
          return (
            <g key={b.label} transform={`translate(0 ${y})`}>
              <title>{`${b.label}: ${b.value}`}</title>
              <text x={LABEL_W - 8} y={ROW / 2} className="chart-label" textAnchor="end" dominantBaseline="middle">
                {b.label.length > 16 ? `${b.label.slice(0, 15)}…` : b.label}
              </text>
              <rect x={LABEL_W} y={5} width={w} height={ROW - 10} rx={3} className={`chart-bar ${b.tone ?? ""}`} />
              <text x={LABEL_W + w + 6} y={ROW / 2} className="chart-value" dominantBaseline="middle">
                {b.value.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
