import { formatBytes, formatDuration } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { BarChart } from "./BarChart";
import { useStats } from "./api";

export function StatsView() {
  const { data, error, isPending } = useStats();
  return (
    // Focusable: the page scrolls and holds no control, so the keyboard could not scroll it.
    <section className="page" data-testid="stats-view" aria-label="Statistics" tabIndex={0}>
      <h1>Statistics</h1>
      {isPending && <p className="muted">Counting…</p>}
      {error && <p role="alert" className="error-text">{errorMessage(error)}</p>}
      {data && (
        <>
          <div className="cards">
            <Card label="Recordings" value={data.total.toLocaleString()} testId="stats-total" />
            <Card label="Total duration" value={formatDuration(data.totalDurationSecs ?? 0)} />
            <Card label="Average duration" value={formatDuration(data.averageDurationSecs ?? 0)} />
            <Card
              label="Storage used"
              value={formatBytes(data.localBytes ?? 0)}
              note={`${data.localFiles.toLocaleString()} files on this computer`}
            />
            <Card label="Starred" value={data.starred.toLocaleString()} />
            <Card label="Archived" value={data.archived.toLocaleString()} />
            <Card label="On legal hold" value={data.onHold.toLocaleString()} />
          </div>
          <div className="charts">
            <BarChart
              title="By status"
              testId="chart-status"
              bars={data.byStatus.map((s) => ({ label: s.key, value: s.count, tone: s.key }))}
            />
            <BarChart
              title="By direction"
              testId="chart-direction"
              bars={data.byDirection.map((s) => ({ label: s.key, value: s.count, tone: s.key }))}
            />
            <BarChart
              title="By category"
              testId="chart-category"
              bars={data.byCategory.slice(0, 12).map((s) => ({ label: s.key ?? "No category", value: s.count }))}
            />
          </div>
        </>
      )}
    </section>
  );
}

function Card({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="card">
      <span className="card-label">{label}</span>
      <strong className="card-value" data-testid={testId}>
        {value}
      </strong>
      {note && <span className="muted small">{note}</span>}
    </div>
  );
}
