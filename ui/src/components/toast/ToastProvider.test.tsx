import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";
import { useToast, type ToastKind } from "./context";
import { ToastProvider } from "./ToastProvider";

function Raise({ text, kind }: { text: string; kind: ToastKind }) {
  const toast = useToast();
  return (
    <button type="button" onClick={() => toast.show(text, kind)}>
      raise
    </button>
  );
}

function raise(text: string, kind: ToastKind) {
  render(
    <ToastProvider>
      <Raise text={text} kind={kind} />
    </ToastProvider>,
  );
  act(() => screen.getByRole("button", { name: "raise" }).click());
}

afterEach(() => vi.useRealTimers());

describe("toasts", () => {
  it("lets a confirmation leave by itself after a few seconds", () => {
    vi.useFakeTimers();
    raise("Archived 2 recordings", "success");
    expect(screen.getByTestId("toast")).toHaveTextContent("Archived 2 recordings");
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.queryByTestId("toast"), "gone after ten seconds").toBeNull();
  });

  it("keeps an error until it is closed", async () => {
    vi.useFakeTimers();
    raise("The recording could not be deleted.", "error");
    act(() => vi.advanceTimersByTime(10 * 60_000));
    const toast = screen.getByTestId("toast");
    expect(toast, "still there after ten minutes").toHaveTextContent("could not be deleted");
    act(() => within(toast).getByRole("button", { name: "Dismiss" }).click());
    expect(screen.queryByTestId("toast")).toBeNull();
  });

  it.each([
    ["success", "✓"],
    ["error", "⚠"],
    ["info", "ℹ"],
  ] as const)("marks %s toasts with a sign as well as a colour", (kind, sign) => {
    raise("Something happened", kind);
    expect(screen.getByTestId("toast")).toHaveTextContent(sign);
  });

  it("takes its place in the sidebar's flow, above its links, so it covers neither rows nor controls", async () => {
    backend({ signedIn: true });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[0] as HTMLElement).getByTestId("row-checkbox"));
    await userEvent.click(within(screen.getByTestId("bulk-bar")).getByTestId("bulk-archive"));
    const toast = await screen.findByTestId("toast");
    const dock = screen.getByRole("navigation", { name: "Library" }).querySelector(".toast-dock");
    expect(dock, "the sidebar has a place for toasts").not.toBeNull();
    expect(dock?.contains(toast), "the toast is in that place").toBe(true);
  });

  it("leaves with the view it belongs to", async () => {
    backend({ signedIn: true });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[0] as HTMLElement).getByTestId("row-checkbox"));
    await userEvent.click(within(screen.getByTestId("bulk-bar")).getByTestId("bulk-archive"));
    expect(await screen.findByTestId("toast")).toHaveTextContent("Archived 1 recording");
    await userEvent.click(screen.getByTestId("nav-stats"));
    expect(screen.queryByTestId("toast"), "the library's toast is gone on the stats view").toBeNull();
  });
});
