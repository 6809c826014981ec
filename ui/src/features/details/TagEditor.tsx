import { useState, type KeyboardEvent } from "react";

type Props = { tags: string[]; disabled?: boolean; onChange: (tags: string[]) => void };

/** Tags as chips: × removes one, Enter (or a comma) adds what was typed. */
export function TagEditor({ tags, disabled, onChange }: Props) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const tag = draft.trim().replace(/,$/, "").trim();
    setDraft("");
    if (tag && !tags.includes(tag)) onChange([...tags, tag]);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && draft === "" && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className="tag-editor" data-testid="tag-editor">
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
          <button
            type="button"
            className="tag-remove"
            aria-label={`Remove tag ${t}`}
            disabled={disabled}
            onClick={() => onChange(tags.filter((x) => x !== t))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        type="text"
        value={draft}
        placeholder="Add tag"
        aria-label="Add a tag"
        data-testid="tag-input"
        disabled={disabled}
        maxLength={40}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKey}
        onBlur={add}
      />
    </div>
  );
}
