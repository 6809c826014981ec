import type { ExportResult } from "../../bindings";

/** The toast after an export; null when the user cancelled the dialog. */
export function exportMessage(result: ExportResult | null): { text: string; kind: "success" | "info" } | null {
  if (!result) return null;
  const saved = result.files.length;
  const missing = result.withoutAudio.length;
  const first = result.files[0];
  let text = saved === 1 && first ? `Exported ${first}` : `Exported ${saved} ${saved === 1 ? "file" : "files"}`;
  if (saved === 0) text = "Nothing was exported";
  if (missing > 0) text += ` · ${missing} without audio on this computer ${missing === 1 ? "was" : "were"} skipped`;
  return { text, kind: saved > 0 ? "success" : "info" };
}
