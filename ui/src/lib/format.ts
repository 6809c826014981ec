import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** "4:12", or "1:02:03" past an hour. */
export function formatDuration(totalSecs: number): string {
  const secs = Math.max(0, Math.floor(totalSecs));
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = String(secs % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/**
 * Numbers already formatted: parsing one costs ~0.1-0.2 ms (a fifth of the first render's
 * rows' time went there), and a list repeats its contacts and re-renders its rows as it
 * scrolls. Bounded: emptied when full, so a day of scrolling cannot grow it.
 */
const phoneCache = new Map<string, string>();
export const PHONE_CACHE_LIMIT = 5_000;

/** An E.164 number as people read it ("+1 555 123 4567"); anything unparseable passes through. */
export function formatPhone(e164: string): string {
  let formatted = phoneCache.get(e164);
  if (formatted === undefined) {
    formatted = parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
    if (phoneCache.size >= PHONE_CACHE_LIMIT) phoneCache.clear();
    phoneCache.set(e164, formatted);
  }
  return formatted;
}

/** How many numbers the cache holds (for its test). */
export function phoneCacheSize(): number {
  return phoneCache.size;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A position in the audio as "m:ss" (or "h:mm:ss"). */
export function formatPosition(ms: number): string {
  return formatDuration(Math.floor(ms / 1000));
}

/** "1:05", "0:42", "75" or "1:02:03" as milliseconds; null when it is not a position. */
export function parsePosition(text: string): number | null {
  const parts = text.trim().split(":");
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return null;
  const nums = parts.map(Number);
  if (nums.slice(1).some((n) => n >= 60)) return null;
  const secs = nums.reduce((total, n) => total * 60 + n, 0);
  return secs * 1000;
}

const dateOnly = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

/** A "YYYY-MM-DD" date input's value as the instant that day starts, locally; `nextDay` for the day after. */
export function dayStartIso(value: string, nextDay = false): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Number(y), Number(m) - 1, Number(d) + (nextDay ? 1 : 0));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const shortThisYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const shortOtherYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });

/** Compact, for the table: "Nov 20, 02:32 PM" this year, "Nov 20, 2025" before. */
export function formatShortDateTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.getFullYear() === now.getFullYear() ? shortThisYear.format(date) : shortOtherYear.format(date);
}
