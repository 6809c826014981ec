import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../test/backend";
import { renderApp } from "../test/render";
import { DEMO_USER } from "../test/session";

const ALICE = { key: "alice-key", name: "Alice" };
const BOB = { key: "bob-key", name: "Bob" };

describe("preferences in the window", () => {
  it("opens as the person left it: view, sort, filters, columns, density and player", async () => {
    const { callsOf } = backend({
      signedIn: true,
      prefs: {
        [DEMO_USER.accountKey]: {
          sortBy: "duration",
          sortOrder: "asc",
          hiddenColumns: ["category"],
          density: "compact",
          volumePercent: 40,
          muted: true,
          speedPercent: 150,
          filters: { scope: "starred", status: null, direction: "inbound", category: null, from: null, to: null },
        },
      },
    });
    renderApp();
    await screen.findByTestId("library-total");
    expect(callsOf("list_recordings_after")[0]?.args.request).toMatchObject({
      sortBy: "duration",
      sortOrder: "asc",
      filter: { starred: true, direction: "inbound" },
    });
    expect(screen.getByTestId("filter-direction")).toHaveValue("inbound");
    expect(screen.getByTestId("filter-scope-starred")).toHaveAttribute("aria-current", "page");
    await waitFor(() => expect(callsOf("player_set_speed").at(-1)?.args).toEqual({ speed: 1.5 }));
    expect(callsOf("player_set_volume").at(-1)?.args, "muted: the player gets no sound").toEqual({ volume: 0 });
  });

  it("hides a column from the Columns menu and keeps it hidden", async () => {
    const { prefsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    expect(document.querySelector('th[data-column="category"]')).not.toBeNull();
    await userEvent.click(screen.getByText("Columns"));
    await userEvent.click(screen.getByTestId("column-category"));
    expect(document.querySelector('th[data-column="category"]'), "the heading goes").toBeNull();
    await waitFor(() => expect(prefsOf(DEMO_USER.accountKey).hiddenColumns).toEqual(["category"]));
  });

  it("Settings → Appearance sets the theme on the root element and keeps it", async () => {
    const { prefsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByTestId("nav-settings"));
    const choice = await screen.findByTestId("theme-choice");
    expect(within(choice).getByLabelText("System")).toBeChecked();
    await userEvent.click(within(choice).getByLabelText("Dark"));
    expect(document.documentElement.dataset.theme).toBe("dark");
    await waitFor(() => expect(prefsOf(DEMO_USER.accountKey).theme).toBe("dark"));
    await waitFor(() => expect(prefsOf(DEMO_USER.accountKey).view, "the open view too").toBe("settings"));
    await userEvent.click(within(choice).getByLabelText("System"));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it("each account opens with its own preferences", async () => {
    const { prefsOf } = backend({
      accounts: [ALICE, BOB],
      signedInAs: ALICE.key,
      prefs: { [BOB.key]: { theme: "dark", view: "stats" } },
    });
    renderApp();
    await screen.findByTestId("library-total");
    expect(document.documentElement.dataset.theme).toBeUndefined();
    await userEvent.click(screen.getByTestId("nav-audit"));
    await waitFor(() => expect(prefsOf(ALICE.key).view).toBe("audit"));

    await userEvent.click(screen.getByRole("button", { name: /^Account:/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name: /Bob/ }));
    await waitFor(() => expect(document.documentElement.dataset.theme, "Bob's theme").toBe("dark"));
    expect(await screen.findByRole("heading", { name: "Statistics" }), "Bob's last view").toBeInTheDocument();
    expect(prefsOf(ALICE.key).view, "Alice's choices stay hers").toBe("audit");
    expect(prefsOf(BOB.key).view).toBe("stats");
  });
});
