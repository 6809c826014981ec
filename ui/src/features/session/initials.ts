/** "Ana Lee" → "AL", "ana@example.com" → "A": what the avatar circle shows. */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, "")
    .split(/[\s._-]+/)
    .filter((w) => w !== "");
  const first = words[0];
  if (!first) return "?";
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return (Array.from(first)[0] ?? "").toUpperCase() + (last ? (Array.from(last)[0] ?? "").toUpperCase() : "");
}
