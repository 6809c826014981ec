/**
 * Subscribes to a backend event for as long as an effect lives. Tauri's `listen` resolves
 * asynchronously, so an effect cleaned up before it resolves must still unlisten.
 */
export function listenWhileMounted(listen: () => Promise<() => void>): () => void {
  let stop: (() => void) | null = null;
  let cancelled = false;
  listen()
    .then((unlisten) => {
      if (cancelled) unlisten();
      else stop = unlisten;
    })
    .catch(() => undefined);
  return () => {
    cancelled = true;
    stop?.();
  };
}
