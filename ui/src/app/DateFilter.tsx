type Props = {
  label: string;
  value: string;
  min?: string | undefined;
  max?: string | undefined;
  testId: string;
  onChange: (value: string) => void;
};

/**
 * A date filter's field. An empty date input in WebKit shows today's date in grey, which reads
 * like a chosen value; while empty and not being typed in, styles.css hides those fields and
 * the word "Any" stands there instead, as in the sidebar's other filters.
 */
export function DateFilter({ label, value, min, max, testId, onChange }: Props) {
  const empty = value === "";
  return (
    <label>
      {label}
      <span className="date-field">
        <input
          type="date"
          className={empty ? "no-date" : undefined}
          value={value}
          min={min}
          max={max}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
        {empty && (
          <span className="date-any" aria-hidden="true">
            Any
          </span>
        )}
      </span>
    </label>
  );
}
