import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

import { resetPrefs } from "../lib/prefs";

afterEach(() => {
  cleanup();
  clearMocks();
  // Preferences live in a module of their own: each test starts from the defaults.
  resetPrefs();
  delete document.documentElement.dataset.theme;
});

// jsdom lays nothing out, so a virtualised list would render no rows: give the
// scroll containers (marked data-virtual-scroll) a window-sized box.
const originalRect = HTMLElement.prototype.getBoundingClientRect;
HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
  if (this.hasAttribute("data-virtual-scroll")) return DOMRect.fromRect({ x: 0, y: 0, width: 1000, height: 700 });
  return originalRect.call(this);
};
for (const [prop, size] of [
  ["offsetHeight", 700],
  ["offsetWidth", 1000],
  ["clientHeight", 700],
  ["clientWidth", 1000],
] as const) {
  const original =
    Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop) ?? Object.getOwnPropertyDescriptor(Element.prototype, prop);
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      if (this.hasAttribute("data-virtual-scroll")) return size;
      return original?.get?.call(this) ?? 0;
    },
  });
}
