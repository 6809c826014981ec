import { useSyncExternalStore } from "react";

const DARK_QUERY = "(prefers-color-scheme: dark)";

const systemDark = () => typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;

/**
 * Which palette is on screen: "light" or "dark". `data-theme` on <html> forces one (the
 * Theme preference sets it); without it the system's colour scheme decides, as in theme.css.
 */
export function currentTheme(): "light" | "dark" {
  const forced = document.documentElement.dataset.theme;
  if (forced === "light" || forced === "dark") return forced;
  return systemDark() ? "dark" : "light";
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  const media = typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
  media?.addEventListener("change", onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener("change", onChange);
  };
}

/**
 * The palette on screen, re-rendering on a change: for drawings (canvas) that read their
 * colours from the theme's custom properties once and must paint again when it changes.
 */
export function useTheme(): "light" | "dark" {
  return useSyncExternalStore(subscribe, currentTheme);
}
