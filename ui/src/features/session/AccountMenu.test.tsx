import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AuthSettings } from "../../bindings";
import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const auth = {
  settings: { domain: "acme.eu.auth0.com", clientId: "abc123", callbackPorts: [], offlineDays: 14 } satisfies AuthSettings,
  source: "setup" as const,
};
const ANA = { key: "ana", name: "Ana Lee", email: "ana@example.com" };
const BEN = { key: "ben", name: "Ben Ortiz", email: "ben@example.com" };
const CLEO = { key: "cleo", name: "Cleo Park", email: "cleo@example.com" };

// jsdom has no canvas: the player's waveform copes with a null context.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => vi.restoreAllMocks());

const openMenu = async () => {
  await userEvent.click(screen.getByRole("button", { name: /^Account:/ }));
  return screen.getByRole("menu");
};

describe("account menu", () => {
  it("shows who is signed in and what the menu offers", async () => {
    backend({ auth, accounts: [ANA, BEN], signedInAs: "ana" });
    renderApp();
    const button = await screen.findByRole("button", { name: /^Account:/ });
    expect(button, "named by what it shows").toHaveAccessibleName(/^Account: ?Ana Lee ana@example\.com$/);
    expect(within(button).getByText("AL"), "initials in the avatar").toBeInTheDocument();
    expect(screen.queryByTestId("session-offline")).toBeNull();

    const menu = await openMenu();
    expect(within(menu).getAllByRole("menuitem").map((i) => i.getAttribute("aria-label") ?? i.textContent)).toEqual([
      "Ben Ortiz",
      "Add account",
      "Sign out",
      "Remove my data from this device",
    ]);
    await waitFor(() => expect(within(menu).getByRole("menuitem", { name: "Ben Ortiz" })).toHaveFocus());
    await userEvent.keyboard("{ArrowDown}");
    expect(within(menu).getByRole("menuitem", { name: "Add account" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(button, "focus goes back to the button").toHaveFocus();
  });

  it("never shows the previous account's rows, details or player after a switch", async () => {
    const { callsOf } = backend({ auth, accounts: [ANA, BEN], signedInAs: "ana" });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    expect(rows[0]).toHaveTextContent("Ana Lee caller 1");
    await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
    await userEvent.click(await screen.findByTestId("details-play"));
    await waitFor(() => expect(screen.getByTestId("player-now")).toHaveAttribute("data-recording", "RE-ana-1"));

    // Every DOM change from here on is checked: once Ben is shown, nothing of Ana's may be.
    const leaks: string[] = [];
    let benShown = false;
    const check = () => {
      benShown ||= screen.queryByTestId("signed-in-user")?.textContent === "Ben Ortiz";
      if (!benShown) return;
      if (document.body.textContent?.includes("Ana Lee caller")) leaks.push("a row of Ana's");
      if (document.querySelector('[data-recording="RE-ana-1"]')) leaks.push("Ana's recording in the player");
      if (screen.queryByTestId("details-panel")) leaks.push("the details panel left open");
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    const listsBefore = callsOf("list_recordings_after").length;

    const menu = await openMenu();
    await userEvent.click(within(menu).getByRole("menuitem", { name: "Ben Ortiz" }));
    expect(await screen.findByText("Ben Ortiz caller 1")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("library-total")).toHaveTextContent("120 recordings"));
    check();
    observer.disconnect();

    expect(benShown).toBe(true);
    expect(leaks, "nothing of Ana's after the switch").toEqual([]);
    expect(screen.getByTestId("player-now")).toHaveAttribute("data-recording", "");
    expect(callsOf("switch_account").map((c) => c.args)).toEqual([{ key: "ben" }]);
    expect(callsOf("list_recordings_after").length, "Ben's list is fetched, not served from Ana's cache").toBeGreaterThan(
      listsBefore,
    );
  });

  it("adds an account through the browser", async () => {
    const session = backend({ auth, accounts: [ANA], signedInAs: "ana", browserSignsInAs: CLEO, holdSignIn: true });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    await userEvent.click(within(await openMenu()).getByRole("menuitem", { name: "Add account" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign in" });
    expect(dialog).toHaveTextContent("Finish signing in in your browser…");
    session.finishSignIn();
    expect(await screen.findByText("Cleo Park caller 1")).toBeInTheDocument();
    expect(screen.queryByText("Ana Lee caller 1")).toBeNull();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("sends an account whose session ended through the browser", async () => {
    const session = backend({
      auth,
      accounts: [ANA, { ...BEN, hasSession: false }],
      signedInAs: "ana",
      browserSignsInAs: BEN,
      holdSignIn: true,
    });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    await userEvent.click(within(await openMenu()).getByRole("menuitem", { name: "Ben Ortiz" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign in" });
    expect(dialog).toHaveTextContent("Finish signing in in your browser…");
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(session.callsOf("cancel_sign_in")).toHaveLength(1);
    expect(screen.getByText("Ana Lee caller 1"), "Ana stays signed in").toBeInTheDocument();
  });

  it("signs out and removes the data only after saying what goes", async () => {
    const { callsOf, hasLibrary } = backend({ auth, accounts: [ANA, BEN], signedInAs: "ana" });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    await userEvent.click(within(await openMenu()).getByRole("menuitem", { name: "Remove my data from this device" }));
    const dialog = screen.getByRole("dialog", { name: "Sign out and remove your data?" });
    for (const what of ["library", "downloaded audio", "settings", "Twilio credentials"]) {
      expect(dialog).toHaveTextContent(what);
    }
    expect(callsOf("sign_out"), "nothing happens before the confirmation").toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(callsOf("sign_out")).toHaveLength(0);

    await userEvent.click(within(await openMenu()).getByRole("menuitem", { name: "Remove my data from this device" }));
    await userEvent.click(screen.getByRole("button", { name: "Sign out and remove data" }));
    expect(await screen.findByRole("button", { name: "Sign in with Auth0" })).toBeInTheDocument();
    expect(callsOf("sign_out").map((c) => c.args)).toEqual([{ removeData: true }]);
    expect(hasLibrary("ana")).toBe(false);
    expect(screen.queryByText("Ana Lee caller 1")).toBeNull();
    expect(await screen.findByRole("button", { name: "Ben Ortiz" }), "the other account stays").toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Ana Lee" }), "the removed one is gone from the list").toBeNull();
  });

  it("signs out keeping the data, and the account stays on the sign-in screen", async () => {
    const { callsOf } = backend({ auth, accounts: [ANA], signedInAs: "ana" });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    await userEvent.click(within(await openMenu()).getByRole("menuitem", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Ana Lee" })).toHaveAccessibleDescription(
      "ana@example.com · signed out",
    );
    expect(callsOf("sign_out").map((c) => c.args)).toEqual([{ removeData: false }]);
  });

  it("shows an Offline badge while the session runs offline", async () => {
    backend({ auth, accounts: [ANA], signedInAs: "ana", offline: true });
    renderApp();
    expect(await screen.findByTestId("session-offline")).toHaveTextContent("Offline");
  });

  it("shows the Offline badge when the backend says the network went", async () => {
    const session = backend({ auth, accounts: [ANA], signedInAs: "ana" });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    expect(screen.queryByTestId("session-offline")).toBeNull();
    await session.setOffline(true);
    expect(await screen.findByTestId("session-offline")).toHaveTextContent("Offline");
    expect(screen.getByText("Ana Lee caller 1"), "the same account: its library stays").toBeInTheDocument();
    await session.setOffline(false);
    await waitFor(() => expect(screen.queryByTestId("session-offline")).toBeNull());
  });
});
