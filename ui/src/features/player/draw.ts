import type { Waveform } from "../../bindings";

const BAR = 2; // px per column: a 1.5 px bar and a gap

/** The loudest peak of every channel, so that a quiet call still fills its lane. */
function loudest(wave: Waveform): number {
  let peak = 0;
  for (const ch of wave.channels) {
    for (const v of ch.max) peak = Math.max(peak, Math.abs(v ?? 0));
    for (const v of ch.min) peak = Math.max(peak, Math.abs(v ?? 0));
  }
  return peak;
}

/**
 * Draws min/max peaks, one lane per channel (agent above, caller below for two-channel
 * calls), the part before `progress` (0..1) in the accent colour. Nothing when the canvas
 * has no 2D context (jsdom) or no size.
 */
export function drawWaveform(canvas: HTMLCanvasElement, wave: Waveform | undefined, progress: number) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width <= 0 || height <= 0) return;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const styles = getComputedStyle(canvas);
  const playedColour = styles.getPropertyValue("--accent").trim() || "#1f6feb";
  const restColour = styles.getPropertyValue("--wave-rest").trim() || "#9aa3b2";
  const lineColour = styles.getPropertyValue("--line").trim() || "#e3e6eb";
  const playedX = Math.max(0, Math.min(1, progress)) * width;
  const channels = wave?.channels ?? [];
  const lanes = Math.max(1, channels.length);
  const laneHeight = height / lanes;
  if (lanes > 1) {
    ctx.fillStyle = lineColour;
    ctx.fillRect(0, laneHeight - 0.5, width, 1);
  }
  if (!wave || channels.length === 0 || wave.buckets === 0) {
    // Not loaded yet: a flat line, so the scrubber still reads as one.
    for (let lane = 0; lane < lanes; lane += 1) {
      const mid = laneHeight * lane + laneHeight / 2;
      ctx.fillStyle = restColour;
      ctx.fillRect(0, mid - 0.5, width, 1);
      ctx.fillStyle = playedColour;
      ctx.fillRect(0, mid - 1, playedX, 2);
    }
    return;
  }
  const scale = 0.95 / Math.max(loudest(wave), 0.05);
  const n = wave.buckets;
  channels.forEach((ch, lane) => {
    const mid = laneHeight * lane + laneHeight / 2;
    const half = laneHeight / 2 - 1;
    for (let x = 0; x < width; x += BAR) {
      const from = Math.floor((x / width) * n);
      const to = Math.max(from + 1, Math.floor(((x + BAR) / width) * n));
      let lo = 0;
      let hi = 0;
      for (let b = from; b < to && b < n; b += 1) {
        lo = Math.min(lo, ch.min[b] ?? 0);
        hi = Math.max(hi, ch.max[b] ?? 0);
      }
      const top = mid - Math.min(1, hi * scale) * half;
      const bottom = mid - Math.max(-1, lo * scale) * half;
      ctx.fillStyle = x < playedX ? playedColour : restColour;
      ctx.fillRect(x, top, BAR - 0.5, Math.max(1, bottom - top));
    }
  });
  // The playhead.
  if (progress > 0) {
    ctx.fillStyle = playedColour;
    ctx.fillRect(Math.min(width - 1.5, playedX), 0, 1.5, height);
  }
}
