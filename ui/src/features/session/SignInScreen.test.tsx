import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { AuthSettings } from "../../bindings";
import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const SETTINGS: AuthSettings = { domain: "acme.eu.auth0.com", clientId: "abc123", audience: null, callbackPorts: [], offlineDays: 14 };
const ANA = { key: "ana", name: "Ana Lee", email: "ana@example.com" };
const BEN = { key: "ben", name: "Ben Ortiz", email: "ben@example.com" };

describe("first-run setup", () => {
  it("saves the Auth0 settings, then offers the sign-in button", async () => {
    const { callsOf } = backend();
    renderApp();
    const form = await screen.findByRole("form", { name: "Sign-in settings" });
    expect(within(form).getByTestId("callback-urls"), "the defaults to register").toHaveTextContent(
      "http://127.0.0.1:47613/callback",
    );
    expect(screen.getByRole("button", { name: "Open demo workspace" }), "the demo needs no setup").toBeInTheDocument();

    await userEvent.type(within(form).getByLabelText("Auth0 domain"), "acme.eu.auth0.com");
    await userEvent.type(within(form).getByLabelText("Client ID"), "abc123");
    await userEvent.click(within(form).getByText("Advanced"));
    await userEvent.type(within(form).getByLabelText("Callback ports (comma-separated)"), "50001, 50002");
    expect(within(form).getByTestId("callback-urls"), "the URLs follow the ports typed").toHaveTextContent(
      "http://127.0.0.1:50001/callbackhttp://127.0.0.1:50002/callback",
    );
    const days = within(form).getByLabelText("Offline days");
    expect(days, "two weeks unless changed").toHaveValue(14);
    await userEvent.clear(days);
    await userEvent.type(days, "7");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));

    expect(await screen.findByRole("button", { name: "Sign in with Auth0" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Sign-in settings" })).toBeNull();
    expect(callsOf("save_auth_setup").map((c) => c.args.settings)).toEqual([
      { domain: "acme.eu.auth0.com", clientId: "abc123", audience: null, callbackPorts: [50001, 50002], offlineDays: 7 },
    ]);
    expect(screen.getByRole("button", { name: "Open demo workspace" })).toBeInTheDocument();
  });

  it("refuses ports it cannot use before asking the backend", async () => {
    const { callsOf } = backend();
    renderApp();
    const form = await screen.findByRole("form", { name: "Sign-in settings" });
    await userEvent.type(within(form).getByLabelText("Auth0 domain"), "acme.eu.auth0.com");
    await userEvent.type(within(form).getByLabelText("Client ID"), "abc123");
    await userEvent.type(within(form).getByLabelText("Callback ports (comma-separated)"), "80, http");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("from 1024 to 65535");
    expect(callsOf("save_auth_setup")).toHaveLength(0);
  });

  it("shows the backend's refusal as it is", async () => {
    backend();
    renderApp();
    const form = await screen.findByRole("form", { name: "Sign-in settings" });
    await userEvent.type(within(form).getByLabelText("Auth0 domain"), "acme");
    await userEvent.type(within(form).getByLabelText("Client ID"), "abc123");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Enter your Auth0 domain, for example your-tenant.eu.auth0.com.",
    );
  });

  it("reopens the saved settings from “Change sign-in settings”", async () => {
    backend({ auth: { settings: { ...SETTINGS, audience: "https://api.acme.test" }, source: "setup" } });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Change sign-in settings" }));
    const form = screen.getByRole("form", { name: "Sign-in settings" });
    expect(within(form).getByLabelText("Auth0 domain")).toHaveValue("acme.eu.auth0.com");
    expect(within(form).getByLabelText("Audience (optional)")).toHaveValue("https://api.acme.test");
    await userEvent.click(within(form).getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("button", { name: "Sign in with Auth0" })).toBeInTheDocument();
  });

  it("says which accounts will need to sign in again before saving other settings", async () => {
    const { callsOf } = backend({ auth: { settings: SETTINGS, source: "setup" }, accounts: [ANA] });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Change sign-in settings" }));
    const form = screen.getByRole("form", { name: "Sign-in settings" });
    const domain = within(form).getByLabelText("Auth0 domain");
    await userEvent.clear(domain);
    await userEvent.type(domain, "other.eu.auth0.com");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByTestId("auth-impact")).toHaveTextContent("Ana Lee");
    expect(callsOf("save_auth_setup"), "nothing is saved before the second click").toHaveLength(0);
    await userEvent.click(within(form).getByRole("button", { name: "Save anyway" }));
    await waitFor(() => expect(callsOf("save_auth_setup")).toHaveLength(1));
  });

  it("shows an account of another provider without a way to send anything to the current one", async () => {
    const { callsOf } = backend({ ...{ auth: { settings: SETTINGS, source: "setup" as const } }, accounts: [{ ...ANA, otherProvider: true }] });
    renderApp();
    const ana = await screen.findByRole("button", { name: "Ana Lee" });
    expect(ana).toBeDisabled();
    expect(ana).toHaveAccessibleDescription(/signed in with another provider/);
    expect(callsOf("switch_account")).toHaveLength(0);
  });

  it("shows an administrator's settings read-only", async () => {
    backend({ auth: { settings: { ...SETTINGS, callbackPorts: [51000] }, source: "managed_file" } });
    renderApp();
    const managed = await screen.findByTestId("auth-managed");
    expect(managed).toHaveTextContent("Configured by your administrator");
    expect(managed).toHaveTextContent("acme.eu.auth0.com");
    expect(managed).toHaveTextContent("http://127.0.0.1:51000/callback");
    expect(screen.queryAllByRole("textbox"), "nothing to edit").toHaveLength(0);
    expect(screen.queryByRole("button", { name: "Change sign-in settings" })).toBeNull();
    expect(screen.getByRole("button", { name: "Sign in with Auth0" })).toBeInTheDocument();
  });
});

describe("sign-in", () => {
  const configured = { auth: { settings: SETTINGS, source: "setup" as const } };

  it("waits for the browser, and Cancel gives up without an error", async () => {
    const { callsOf } = backend({ ...configured, holdSignIn: true });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with Auth0" }));
    expect(await screen.findByText("Finish signing in in your browser…")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Sign in with Auth0" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("button", { name: "Sign in with Auth0" })).toBeInTheDocument();
    expect(callsOf("cancel_sign_in")).toHaveLength(1);
    expect(screen.queryByRole("alert"), "cancelling is not a failure").toBeNull();
  });

  it("opens the account's library when the browser comes back", async () => {
    const session = backend({ ...configured, holdSignIn: true, browserSignsInAs: ANA });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with Auth0" }));
    await screen.findByText("Finish signing in in your browser…");
    session.finishSignIn();
    expect(await screen.findByText("Ana Lee caller 1")).toBeInTheDocument();
    expect(screen.getByTestId("signed-in-user")).toHaveTextContent("Ana Lee");
  });

  it("shows why the sign-in failed, in the backend's words", async () => {
    backend({
      ...configured,
      failWith: { sign_in: { code: "auth_failed", message: "Auth0 refused the sign-in: access denied." } },
    });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with Auth0" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Auth0 refused the sign-in: access denied.");
    expect(screen.getByRole("button", { name: "Sign in with Auth0" }), "and it can be tried again").toBeEnabled();
  });

  it("says why the last session ended", async () => {
    backend({ ...configured, notice: "Your session has ended. Sign in again to sync." });
    renderApp();
    expect(await screen.findByTestId("session-notice")).toHaveTextContent("Your session has ended. Sign in again to sync.");
  });

  it("goes back into a known account with one click", async () => {
    const { callsOf } = backend({ ...configured, accounts: [ANA, BEN] });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Ben Ortiz" }));
    expect(await screen.findByText("Ben Ortiz caller 1")).toBeInTheDocument();
    expect(callsOf("switch_account").map((c) => c.args)).toEqual([{ key: "ben" }]);
    expect(callsOf("sign_in"), "a kept session needs no browser").toHaveLength(0);
  });

  it("sends a known account whose session ended through the browser", async () => {
    const session = backend({
      ...configured,
      accounts: [ANA, { ...BEN, hasSession: false }],
      browserSignsInAs: BEN,
      holdSignIn: true,
    });
    renderApp();
    await userEvent.click(await screen.findByRole("button", { name: "Ben Ortiz" }));
    expect(await screen.findByText("Finish signing in in your browser…")).toBeInTheDocument();
    expect(screen.queryByRole("alert"), "an ended session is not an error here").toBeNull();
    session.finishSignIn();
    expect(await screen.findByText("Ben Ortiz caller 1")).toBeInTheDocument();
    expect(session.callsOf("sign_in")).toHaveLength(1);
  });

  it("returns to the sign-in screen when the backend ends the session", async () => {
    const session = backend({ ...configured, accounts: [ANA], signedInAs: "ana" });
    renderApp();
    await screen.findByText("Ana Lee caller 1");
    await session.endSession("Your session has ended. Sign in again to sync.");
    expect(await screen.findByTestId("session-notice")).toHaveTextContent("Your session has ended.");
    expect(screen.queryByText("Ana Lee caller 1")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Open demo workspace" })).toBeEnabled());
  });
});
