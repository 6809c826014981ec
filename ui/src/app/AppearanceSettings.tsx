import type { Density, Theme } from "../bindings";
import { setPref, usePref } from "../lib/prefs";

const THEMES: { value: Theme; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

const DENSITIES: { value: Density; label: string }[] = [
  { value: "comfortable", label: "Comfortable" },
  { value: "compact", label: "Compact" },
];

/** Settings → Appearance: the theme and how tightly the table's rows sit. Kept per person. */
export function AppearanceSettings() {
  const theme = usePref("theme");
  const density = usePref("density");
  return (
    <div className="settings appearance" data-testid="appearance-settings">
      <h2>Appearance</h2>
      <section>
        <Choice name="theme" legend="Theme" options={THEMES} value={theme} onChange={(t) => setPref("theme", t)} />
        <p className="note">System follows your computer's light or dark setting.</p>
        <Choice name="density" legend="Table rows" options={DENSITIES} value={density} onChange={(d) => setPref("density", d)} />
      </section>
    </div>
  );
}

type ChoiceProps<T extends string> = {
  name: string;
  legend: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
};

/** A row of radio buttons shown as one segmented control. */
function Choice<T extends string>({ name, legend, options, value, onChange }: ChoiceProps<T>) {
  return (
    <fieldset className="segmented" data-testid={`${name}-choice`}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={o.value === value ? "on" : undefined}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={o.value === value}
            data-testid={`${name}-${o.value}`}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
