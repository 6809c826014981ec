import { describe, expect, it } from "vitest";

import css from "./theme.css?raw";

/** The custom properties set by the first rule whose selector is exactly `selector`. */
function palette(selector: string): Record<string, string> {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`theme.css has no rule for ${selector}`);
  const body = css.slice(css.indexOf("{", at) + 1, css.indexOf("}", at));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], (m[2] ?? "").trim()]));
}

/** WCAG 2 relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const LIGHT = palette(":root");
const DARK = palette(':root[data-theme="dark"]');
const TEXT = ["text", "muted", "accent", "ok", "warn", "bad", "star"];
const SURFACES = ["bg", "panel", "row-hover", "accent-soft"];
/** Text drawn on a filled colour: [text, fill]. */
const ON_FILLS = [
  ["on-accent", "accent"],
  ["on-strong", "bad"],
  ["on-strong", "warn"],
  ["text", "mark"],
];

describe("theme palettes", () => {
  it("writes the dark palette identically for data-theme=dark and for the system's dark scheme", () => {
    expect(palette(':root:not([data-theme="light"])'), "the copy under prefers-color-scheme: dark").toEqual(DARK);
  });

  it.each([
    ["light", LIGHT],
    ["dark", DARK],
  ])("keeps every text colour at 4.5:1 or more in the %s theme (WCAG AA)", (_name, p) => {
    const low: string[] = [];
    for (const fg of TEXT) {
      for (const bg of SURFACES) {
        const ratio = contrast(p[fg] ?? "", p[bg] ?? "");
        if (!(ratio >= 4.5)) low.push(`--${fg} on --${bg}: ${ratio.toFixed(2)}`);
      }
    }
    for (const [fg, bg] of ON_FILLS) {
      const ratio = contrast(p[fg ?? ""] ?? "", p[bg ?? ""] ?? "");
      if (!(ratio >= 4.5)) low.push(`--${fg} on --${bg}: ${ratio.toFixed(2)}`);
    }
    expect(low, "pairs below 4.5:1").toEqual([]);
  });

  it.each([
    ["light", LIGHT],
    ["dark", DARK],
  ])("draws the waveform's unplayed part at 3:1 or more on the panel in the %s theme", (_name, p) => {
    expect(contrast(p["wave-rest"] ?? "", p.panel ?? "")).toBeGreaterThanOrEqual(3);
  });
});
