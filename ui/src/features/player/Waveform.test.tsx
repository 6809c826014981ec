import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

/** A 2D context that counts whole repaints (each starts with clearRect). */
function fakeContext() {
  const ctx = { clearRect: vi.fn(), fillRect: vi.fn(), setTransform: vi.fn(), fillStyle: "" };
  return ctx;
}

let ctx: ReturnType<typeof fakeContext>;
beforeEach(() => {
  ctx = fakeContext();
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(ctx as unknown as CanvasRenderingContext2D);
  // jsdom lays nothing out: give the canvas a size, or there is nothing to draw.
  vi.spyOn(HTMLCanvasElement.prototype, "clientWidth", "get").mockReturnValue(600);
  vi.spyOn(HTMLCanvasElement.prototype, "clientHeight", "get").mockReturnValue(44);
});
afterEach(() => {
  vi.restoreAllMocks();
  delete document.documentElement.dataset.theme;
});

describe("waveform", () => {
  it("is a slider the keyboard reaches and moves: Home to the start, End to the end", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
    await userEvent.click(await screen.findByTestId("details-play"));
    await waitFor(() => expect(screen.getByTestId("player-time")).toHaveTextContent("/ 1:01"));
    const slider = screen.getByRole("slider", { name: "Position in the recording" });
    slider.focus();
    expect(slider, "focusable, so Tab reaches it").toHaveFocus();
    await userEvent.keyboard("{End}");
    await waitFor(() => expect(callsOf("player_seek").at(-1)?.args).toEqual({ positionMs: 61_000 }));
    await userEvent.keyboard("{Home}");
    await waitFor(() => expect(callsOf("player_seek").at(-1)?.args).toEqual({ positionMs: 0 }));
  });

  it("paints again when the theme changes, since its colours come from the theme", async () => {
    backend({ signedIn: true });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
    await userEvent.click(await screen.findByTestId("details-play"));
    await waitFor(() => expect(screen.getByTestId("player-play")).toHaveAccessibleName("Pause"));
    await waitFor(() => expect(ctx.clearRect).toHaveBeenCalled());
    const before = ctx.clearRect.mock.calls.length;

    act(() => {
      document.documentElement.dataset.theme = "dark";
    });

    await waitFor(() =>
      expect(ctx.clearRect.mock.calls.length, "a repaint after data-theme changed").toBeGreaterThan(before),
    );
  });
});
