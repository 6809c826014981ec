import { useToast } from "./context";

/**
 * The place in the window's layout where toasts stack: in the flow (the sidebar's free space
 * above its links), so a toast takes room instead of covering a row or a control.
 */
export function ToastDock() {
  const { dock } = useToast();
  return <div className="toast-dock" ref={dock} />;
}
