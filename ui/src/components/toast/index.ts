export { useToast, useToastsOf, type ToastKind } from "./context";
export { ToastDock } from "./ToastDock";
export { ToastProvider } from "./ToastProvider";
