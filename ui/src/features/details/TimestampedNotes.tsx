import { useState, type FormEvent } from "react";

import type { TimestampedNote } from "../../bindings";
import { formatPosition, parsePosition } from "../../lib/format";
import { useToast } from "../../components/toast";
import { useNoteMutations, useNotes } from "./api";

type Props = { recordingId: string; durationSecs: number };

/** Bookmarks at a position in the audio: add, edit, delete. */
export function TimestampedNotes({ recordingId, durationSecs }: Props) {
  const notes = useNotes(recordingId);
  const { add, edit, remove } = useNoteMutations(recordingId);
  const toast = useToast();
  const [editing, setEditing] = useState<number | null>(null);

  const submitNew = (position: number, body: string, reset: () => void) =>
    add.mutate({ positionMs: position, body }, { onSuccess: reset, onError: (e) => toast.error(e) });

  return (
    <section className="tnotes" aria-label="Timestamped notes">
      <h3>Notes in the call</h3>
      {notes.data?.length === 0 && <p className="muted small">No bookmarks yet.</p>}
      <ul data-testid="tnotes-list">
        {notes.data?.map((n) =>
          editing === n.id ? (
            <li key={n.id}>
              <NoteForm
                note={n}
                durationSecs={durationSecs}
                busy={edit.isPending}
                submitLabel="Save"
                onCancel={() => setEditing(null)}
                onSubmit={(positionMs, body) =>
                  edit.mutate(
                    { noteId: n.id, positionMs, body },
                    { onSuccess: () => setEditing(null), onError: (e) => toast.error(e) },
                  )
                }
              />
            </li>
          ) : (
            <li key={n.id} className="tnote" data-testid="tnote">
              <span className="pos mono">@{formatPosition(n.positionMs)}</span>
              <span className="body">{n.body}</span>
              <button type="button" className="link" onClick={() => setEditing(n.id)}>
                Edit
              </button>
              <button
                type="button"
                className="link danger-text"
                aria-label={`Delete note at ${formatPosition(n.positionMs)}`}
                onClick={() => remove.mutate(n.id, { onError: (e) => toast.error(e) })}
              >
                Delete
              </button>
            </li>
          ),
        )}
      </ul>
      <NoteForm durationSecs={durationSecs} busy={add.isPending} submitLabel="Add" onSubmit={submitNew} />
    </section>
  );
}

type FormProps = {
  note?: TimestampedNote;
  durationSecs: number;
  busy: boolean;
  submitLabel: string;
  onSubmit: (positionMs: number, body: string, reset: () => void) => void;
  onCancel?: () => void;
};

function NoteForm({ note, durationSecs, busy, submitLabel, onSubmit, onCancel }: FormProps) {
  const [position, setPosition] = useState(note ? formatPosition(note.positionMs) : "0:00");
  const [body, setBody] = useState(note?.body ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ms = parsePosition(position);
    if (ms === null) return setProblem("Type the position as m:ss, e.g. 1:05.");
    if (ms > durationSecs * 1000) return setProblem(`The call is only ${formatPosition(durationSecs * 1000)} long.`);
    if (!body.trim()) return setProblem("Write something to remember.");
    setProblem(null);
    onSubmit(ms, body.trim(), () => {
      setBody("");
      setPosition("0:00");
    });
  };
  return (
    <form className="note-form" onSubmit={submit}>
      <input
        className="pos-input mono"
        value={position}
        aria-label="Position (m:ss)"
        data-testid="note-position"
        onChange={(e) => setPosition(e.target.value)}
      />
      <input
        className="grow"
        value={body}
        placeholder="Bookmark text"
        aria-label="Note text"
        data-testid="note-body"
        maxLength={2000}
        onChange={(e) => setBody(e.target.value)}
      />
      <button type="submit" disabled={busy} data-testid="note-submit">
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      )}
      {problem && (
        <p className="error-text small full" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
