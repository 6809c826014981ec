import { createContext, useContext } from "react";

import type { ErrorOverrides } from "../../lib/errors";

export type ToastKind = "success" | "error" | "info";

export type Toast = { id: number; kind: ToastKind; text: string };

export type ToastApi = {
  show: (text: string, kind?: ToastKind) => void;
  /** An error toast in words a person understands (see `friendlyError`). */
  error: (error: unknown, overrides?: ErrorOverrides) => void;
};

export const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast outside <ToastProvider>");
  return api;
}
