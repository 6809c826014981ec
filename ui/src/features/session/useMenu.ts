import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

function itemsOf(menu: HTMLElement | null): HTMLElement[] {
  return [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)') ?? [])];
}

/**
 * A menu button's behaviour (WAI-ARIA menu pattern): the first item takes focus on open,
 * arrows move, Escape closes back to the button, Tab or a click elsewhere closes.
 */
export function useMenu() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const close = useCallback(() => {
    setOpen(false);
    buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (open) itemsOf(menuRef.current)[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onMenuKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Tab") return setOpen(false);
    const items = itemsOf(menuRef.current);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const target: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    const index = target[e.key];
    if (index === undefined && e.key !== "Escape") return;
    // Marked as handled, so the library's and the player's shortcuts leave these keys alone.
    e.preventDefault();
    if (index === undefined) close();
    else items[(index + items.length) % items.length]?.focus();
  };

  const onButtonKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    setOpen(true);
  };

  return {
    open,
    toggle: () => setOpen((o) => !o),
    /** Closes as an item is chosen: the item's own action decides where focus goes next. */
    dismiss: () => setOpen(false),
    buttonRef,
    menuRef,
    onMenuKeyDown,
    onButtonKeyDown,
  };
}
