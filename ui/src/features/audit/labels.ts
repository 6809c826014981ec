import type { Operation, Outcome } from "../../bindings";

/**
 * What each audited operation is called in the Audit view. Typed against the backend's
 * `Operation`, so a new operation does not type-check until it has a label here.
 */
const OPERATIONS: Record<Operation, string> = {
  update: "Edited details",
  add_note: "Added a note",
  edit_note: "Edited a note",
  delete_note: "Deleted a note",
  legal_hold: "Changed legal hold",
  bulk_star: "Starred",
  bulk_unstar: "Unstarred",
  bulk_archive: "Archived",
  bulk_unarchive: "Unarchived",
  bulk_delete: "Deleted (bulk)",
  delete: "Deleted",
  delete_at_twilio: "Deleted here and at Twilio",
  export: "Exported",
  cleanup: "Cleaned up",
  sign_in: "Signed in",
  sign_out: "Signed out",
  switch_account: "Switched to this account",
  switch_away: "Switched to another account",
  offline_open: "Opened offline",
  twilio_connect: "Connected Twilio",
  twilio_disconnect: "Disconnected Twilio",
  sync: "Synced from Twilio",
  play: "Played",
  download: "Downloaded audio",
  transcribe: "Transcribed",
  analyse_audio: "Analysed audio",
  analyse_ai: "Analysed with AI",
};

const OUTCOMES: Record<Outcome, string> = {
  ok: "OK",
  error: "Failed",
  cancelled: "Cancelled",
};

function known<K extends string>(labels: Record<K, string>, key: string): key is K {
  return Object.hasOwn(labels, key);
}

/** "sign_in" → "Signed in"; an operation this build does not know → "Some thing". */
export function operationLabel(op: string): string {
  if (known(OPERATIONS, op)) return OPERATIONS[op];
  const words = op.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function outcomeLabel(outcome: string): string {
  return known(OUTCOMES, outcome) ? OUTCOMES[outcome] : outcome;
}

/** The class that colours an outcome: ok, failed or cancelled. */
export function outcomeClass(outcome: string): string {
  if (outcome === "ok") return "outcome ok";
  if (outcome === "cancelled") return "outcome cancelled";
  return "outcome failed";
}
