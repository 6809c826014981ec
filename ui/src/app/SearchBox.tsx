import { useEffect, useRef, useState } from "react";

import { isPlainKey, isTypingTarget } from "../lib/keyboard";
import { useDebounced } from "../lib/useDebounced";

type Props = { value: string; onSearch: (text: string) => void };

export const SEARCH_DEBOUNCE_MS = 250;

/** Search as you type, sent once typing pauses; `/` anywhere focuses it, Escape clears it. */
export function SearchBox({ value, onSearch }: Props) {
  const [text, setText] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  const settled = useDebounced(text, SEARCH_DEBOUNCE_MS);

  // The filters' "Clear" empties the box too.
  const [outside, setOutside] = useState(value);
  if (outside !== value) {
    setOutside(value);
    if (value !== settled) setText(value);
  }

  useEffect(() => {
    if (settled !== value) onSearch(settled);
    // Only a settled change of the text is a new search.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || !isPlainKey(e) || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        value={text}
        placeholder="Search numbers, names or words said"
        aria-label="Search numbers, names or words said in calls"
        data-testid="search-input"
        maxLength={100}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            setText("");
            e.currentTarget.blur();
          }
        }}
      />
      <kbd className="search-hint" aria-hidden="true">
        /
      </kbd>
    </div>
  );
}
