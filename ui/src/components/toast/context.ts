import { createContext, useContext, useEffect } from "react";

import type { ErrorOverrides } from "../../lib/errors";

export type ToastKind = "success" | "error" | "info";

export type Toast = { id: number; kind: ToastKind; text: string };

export type ToastApi = {
  show: (text: string, kind?: ToastKind) => void;
  /** An error toast in words a person understands (the core's sentence, see `errorMessage`). */
  error: (error: unknown, overrides?: ErrorOverrides) => void;
  /** Closes every toast: their view has gone. */
  clear: () => void;
  /** Sets (or with null, forgets) the element the stack is placed in. */
  dock: (element: HTMLElement | null) => void;
};

export const ToastContext = createContext<ToastApi | null>(null);

/**
 * Toasts belong to the view that raised them: they close when `view` changes and when the
 * caller unmounts (another account, signing out).
 */
export function useToastsOf(view: string) {
  const { clear } = useToast();
  useEffect(() => clear, [view, clear]);
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast outside <ToastProvider>");
  return api;
}
