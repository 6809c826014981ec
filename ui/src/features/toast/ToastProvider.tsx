import "./toast.css";

import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";

import { friendlyError, type ErrorOverrides } from "../../lib/errors";
import { ToastContext, type Toast, type ToastApi, type ToastKind } from "./context";

const VISIBLE_MS: Record<ToastKind, number> = { success: 4_000, info: 4_000, error: 8_000 };
const MAX_TOASTS = 4;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const show = useCallback(
    (text: string, kind: ToastKind = "success") => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-(MAX_TOASTS - 1)), { id, kind, text }]);
      setTimeout(() => dismiss(id), VISIBLE_MS[kind]);
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(
    () => ({
      show,
      error: (error: unknown, overrides?: ErrorOverrides) => show(friendlyError(error, overrides), "error"),
    }),
    [show],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} data-testid="toast" role={t.kind === "error" ? "alert" : "status"}>
            <span>{t.text}</span>
            <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
