import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { blockingViolations } from "../test/axe";
import { backend } from "../test/backend";
import { renderApp } from "../test/render";

// jsdom has no canvas: the waveform draws nothing, which axe does not mind.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => {
  vi.restoreAllMocks();
  delete document.documentElement.dataset.theme;
});

/** Every view the issue names, reached as a person would reach it. */
const VIEWS: { name: string; open: () => Promise<void>; signedIn: boolean }[] = [
  { name: "sign-in", signedIn: false, open: async () => void (await screen.findByTestId("open-demo")) },
  { name: "library", signedIn: true, open: async () => void (await screen.findAllByTestId("recording-row")) },
  {
    name: "details and player",
    signedIn: true,
    open: async () => {
      const rows = await screen.findAllByTestId("recording-row");
      await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
      await userEvent.click(await screen.findByTestId("details-play"));
      await waitFor(() => expect(screen.getByTestId("player-play")).toHaveAccessibleName("Pause"));
    },
  },
  {
    name: "settings",
    signedIn: true,
    open: async () => {
      await userEvent.click(await screen.findByTestId("nav-settings"));
      await screen.findByRole("heading", { name: /twilio/i });
    },
  },
  {
    name: "stats",
    signedIn: true,
    open: async () => {
      await userEvent.click(await screen.findByTestId("nav-stats"));
      await screen.findByTestId("stats-total");
    },
  },
  {
    name: "cleanup dialog",
    signedIn: true,
    open: async () => {
      await userEvent.click(await screen.findByTestId("open-cleanup"));
      await screen.findByRole("dialog");
    },
  },
  {
    name: "account menu",
    signedIn: true,
    open: async () => {
      await userEvent.click(await screen.findByRole("button", { name: /^Account:/ }));
      await screen.findByRole("menu");
    },
  },
];

describe.each(["light", "dark"])("axe-core in the %s theme", (theme) => {
  it.each(VIEWS)("finds no serious or critical violation on $name", async ({ open, signedIn }) => {
    document.documentElement.dataset.theme = theme;
    backend({ signedIn, accounts: [{ key: "ana", name: "Ana Lee", email: "ana@example.com" }] });
    renderApp();
    await open();
    expect(await blockingViolations(), "axe-core's serious and critical findings").toEqual([]);
    // axe-core walks the whole rendered table: more than vitest's default 5 s on a busy machine.
  }, 30_000);
});
