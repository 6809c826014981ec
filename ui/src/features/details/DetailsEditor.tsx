import { useState } from "react";

import type { Priority, RecordingDetails, RecordingPatch } from "../../bindings";
import { useUpdateRecording } from "../library";
import { useCategories } from "../stats";
import { useToast } from "../../components/toast";
import { TagEditor } from "./TagEditor";

type Props = { details: RecordingDetails };

/** The fields a user may change (tags, category, priority, starred, archived, notes): each saves on its own. */
export function DetailsEditor({ details }: Props) {
  const toast = useToast();
  const update = useUpdateRecording();
  const categories = useCategories();
  const id = details.summary.id;
  const [category, setCategory] = useState(details.summary.category ?? "");
  const [notes, setNotes] = useState(details.notes ?? "");
  // What was last sent: a blur and the button's click must not save the same text twice.
  const [savedNotes, setSavedNotes] = useState(details.notes ?? "");

  const save = (patch: RecordingPatch, done?: string) =>
    update.mutate(
      { id, patch },
      {
        onSuccess: () => done && toast.show(done),
        onError: (e) => toast.error(e),
      },
    );

  const saveCategory = () => {
    if (category.trim() !== (details.summary.category ?? "")) save({ category: category.trim() });
  };
  const notesChanged = notes !== savedNotes;
  const saveNotes = () => {
    if (!notesChanged) return;
    setSavedNotes(notes);
    save({ notes }, "Notes saved");
  };

  return (
    <div className="editor">
      <label className="field">
        <span>Tags</span>
        <TagEditor tags={details.tags} onChange={(tags) => save({ tags })} />
      </label>
      <div className="field-row">
        <label className="field">
          <span>Category</span>
          <input
            type="text"
            list="category-options"
            value={category}
            placeholder="None"
            data-testid="category-input"
            maxLength={60}
            onChange={(e) => setCategory(e.target.value)}
            onBlur={saveCategory}
            onKeyDown={(e) => e.key === "Enter" && saveCategory()}
          />
          <datalist id="category-options">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Priority</span>
          <select
            value={details.priority}
            data-testid="priority-select"
            onChange={(e) => save({ priority: e.target.value as Priority })}
          >
            <option value="low">Low</option>
            <option value="normal">Normal</option>
            <option value="high">High</option>
          </select>
        </label>
      </div>
      <div className="field-row checks">
        <label>
          <input
            type="checkbox"
            checked={details.summary.starred}
            data-testid="details-starred"
            onChange={(e) => save({ starred: e.target.checked })}
          />{" "}
          Starred
        </label>
        <label>
          <input
            type="checkbox"
            checked={details.summary.archived}
            data-testid="details-archived"
            onChange={(e) => save({ archived: e.target.checked })}
          />{" "}
          Archived
        </label>
      </div>
      <label className="field">
        <span>Notes</span>
        <textarea
          rows={4}
          value={notes}
          data-testid="notes-input"
          maxLength={10_000}
          placeholder="What was this call about?"
          onChange={(e) => setNotes(e.target.value)}
          onBlur={saveNotes}
        />
      </label>
      {notesChanged && (
        <button type="button" className="small-button" onClick={saveNotes} data-testid="notes-save">
          Save notes
        </button>
      )}
    </div>
  );
}
