import { useEffect, useRef } from "react";

import { isPlainKey, isTypingTarget } from "../lib/keyboard";

type Props = { value: string; onSearch: (text: string) => void };

/**
 * Search as you type: every key is a new search, whose rows come at once (the count of its
 * matches waits for typing to pause, in the library); `/` anywhere focuses it, Escape
 * clears it. The text is the library's own, so the filters' "Clear" empties it too.
 */
export function SearchBox({ value, onSearch }: Props) {
  const input = useRef<HTMLInputElement>(null);

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
        value={value}
        placeholder="Search numbers, names or words said"
        aria-label="Search numbers, names or words said in calls"
        data-testid="search-input"
        maxLength={100}
        onChange={(e) => onSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            onSearch("");
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
