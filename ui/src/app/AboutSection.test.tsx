import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { backend } from "../test/backend";
import { renderApp } from "../test/render";

async function openAbout() {
  await screen.findAllByTestId("recording-row");
  await userEvent.click(screen.getByTestId("nav-settings"));
  const section = await screen.findByTestId("about-settings");
  await within(section).findByTestId("about-version");
  return within(section);
}

/** jsdom has no clipboard: give the page one whose writeText is `writeText`. */
function withClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, "clipboard");
});

describe("Settings → About", () => {
  it("shows the version and the log folder, and opens the folder", async () => {
    const api = backend({ signedIn: true });
    renderApp();
    const about = await openAbout();
    expect(about.getByTestId("about-version")).toHaveTextContent("CallDeck 0.1.0");
    expect(about.getByTestId("about-log-folder")).toHaveTextContent("~/.local/share/app.calldeck.desktop/logs");
    await userEvent.click(about.getByTestId("about-open-logs"));
    expect(api.callsOf("open_log_folder")).toHaveLength(1);
  });

  it("copies the diagnostics report to the clipboard", async () => {
    backend({ signedIn: true });
    renderApp();
    const about = await openAbout();
    const writeText = vi.fn().mockResolvedValue(undefined);
    withClipboard(writeText);
    await userEvent.click(about.getByTestId("about-copy-diagnostics"));
    expect(await about.findByTestId("about-copied")).toHaveTextContent("Copied to the clipboard.");
    const copied = String(writeText.mock.calls[0]?.[0]);
    expect(copied).toContain("CallDeck 0.1.0");
    expect(copied).toContain("Data: library 1.2 MB · audio 34.5 MB in 12 files");
    expect(copied).toContain("Last problems (1):");
    expect(copied).toBe(about.getByTestId("about-report").textContent);
  });

  it("shows the report to select by hand when the clipboard refuses", async () => {
    backend({ signedIn: true });
    renderApp();
    const about = await openAbout();
    const writeText = vi.fn().mockRejectedValue(new Error("denied"));
    withClipboard(writeText);
    await userEvent.click(about.getByTestId("about-copy-diagnostics"));
    expect(await about.findByTestId("about-copied")).toHaveTextContent("select the text below");
    expect(about.getByTestId("about-report").closest("details")).toHaveAttribute("open");
  });

  it("says when the log folder cannot be opened", async () => {
    backend({
      signedIn: true,
      failWith: { open_log_folder: { code: "invalid_input", message: "CallDeck could not open the folder. Its path is shown beside the button." } },
    });
    renderApp();
    const about = await openAbout();
    await userEvent.click(about.getByTestId("about-open-logs"));
    expect(await about.findByRole("alert")).toHaveTextContent("CallDeck could not open the folder.");
  });
});
