import "./toast.css";

import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";

import { errorMessage, type ErrorOverrides } from "../../lib/errors";
import { ToastContext, type Toast, type ToastApi, type ToastKind } from "./context";

/** How long a confirmation stays; an error (null) stays until it is closed or its view goes. */
const VISIBLE_MS: Record<ToastKind, number | null> = { success: 5_000, info: 5_000, error: null };
const MAX_TOASTS = 4;
/** A sign beside the colour, so the kind reads without it. */
const SIGN: Record<ToastKind, string> = { success: "✓", info: "ℹ", error: "⚠" };

/** The newest toasts up to MAX_TOASTS; errors go last, since only a person closes them. */
function trim(all: Toast[]): Toast[] {
  const out = [...all];
  while (out.length > MAX_TOASTS) {
    const oldest = out.findIndex((t) => t.kind !== "error");
    out.splice(oldest < 0 ? 0 : oldest, 1);
  }
  return out;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  // Where the stack goes when the window offers a place (the sidebar's ToastDock); else fixed.
  const [dock, setDock] = useState<HTMLElement | null>(null);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const show = useCallback(
    (text: string, kind: ToastKind = "success") => {
      const id = nextId.current++;
      setToasts((all) => trim([...all, { id, kind, text }]));
      const visible = VISIBLE_MS[kind];
      if (visible !== null) setTimeout(() => dismiss(id), visible);
    },
    [dismiss],
  );

  const clear = useCallback(() => setToasts([]), []);

  const api = useMemo<ToastApi>(
    () => ({
      show,
      error: (error: unknown, overrides?: ErrorOverrides) => show(errorMessage(error, overrides), "error"),
      clear,
      dock: setDock,
    }),
    [show, clear],
  );

  const list = (
    <div className={dock ? "toasts docked" : "toasts"} aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} data-testid="toast" role={t.kind === "error" ? "alert" : "status"}>
          <span className="toast-sign" aria-hidden="true">
            {SIGN[t.kind]}
          </span>
          <span className="toast-text">{t.text}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      {dock ? createPortal(list, dock) : list}
    </ToastContext.Provider>
  );
}
