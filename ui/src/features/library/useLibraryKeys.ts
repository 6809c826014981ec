import { useEffect, useEffectEvent } from "react";

import { isPlainKey, isTypingTarget } from "../../lib/keyboard";

export type LibraryKeyActions = {
  move: (delta: number) => void;
  open: () => void;
  close: () => void;
  star: () => void;
  archive: () => void;
};

/** The table's shortcuts: ↑/↓ move, Enter opens, Escape closes, `s` stars, `e` archives. Never while typing or in a dialog. */
export function useLibraryKeys(actions: LibraryKeyActions) {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || !isPlainKey(event) || isTypingTarget(event.target)) return;
    if (document.querySelector('[aria-modal="true"]')) return;
    const handled = (() => {
      switch (event.key) {
        case "ArrowDown":
          actions.move(1);
          return true;
        case "ArrowUp":
          actions.move(-1);
          return true;
        case "Enter":
          // A focused button or link keeps its own Enter.
          if (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement) return false;
          actions.open();
          return true;
        case "Escape":
          actions.close();
          return true;
        case "s":
          actions.star();
          return true;
        case "e":
          actions.archive();
          return true;
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);
}
