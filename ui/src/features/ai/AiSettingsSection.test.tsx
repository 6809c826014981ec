import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const SECRET = "sk-test-0123456789abcdef";

async function openAiSettings() {
  await screen.findAllByTestId("recording-row");
  await userEvent.click(screen.getByTestId("nav-settings"));
  const section = await screen.findByTestId("ai-settings");
  await within(section).findByTestId("ai-save");
  return within(section);
}

describe("Settings → Transcripts & AI", () => {
  it("saves the remote service and never shows the key again", async () => {
    const api = backend({ signedIn: true });
    renderApp();
    const form = await openAiSettings();
    expect(form.getByTestId("ai-engine-local")).toBeChecked();
    expect(form.getByTestId("ai-key-note")).toHaveTextContent("No API key saved.");

    await userEvent.click(form.getByTestId("ai-engine-remote"));
    await userEvent.type(form.getByTestId("ai-base-url"), "https://api.example.com/v1");
    await userEvent.type(form.getByTestId("ai-api-key"), SECRET);
    await userEvent.click(form.getByTestId("ai-save"));

    expect(await form.findByTestId("ai-saved")).toHaveTextContent("Settings saved");
    expect(api.callsOf("save_ai_settings").map((c) => c.args.settings)).toEqual([
      {
        engine: "remote",
        baseUrl: "https://api.example.com/v1",
        transcriptionModel: "whisper-1",
        chatModel: "gpt-4o-mini",
        apiKey: SECRET,
      },
    ]);
    expect(api.savedApiKey()).toBe(SECRET);
    expect(form.getByTestId("ai-api-key"), "the key leaves the form once").toHaveValue("");
    expect(form.getByTestId("ai-key-note")).toHaveTextContent("Saved in your keyring");
    expect(document.body.innerHTML, "nothing on screen carries the key").not.toContain(SECRET);
  });

  it("says when the key is kept in a file, and removes it", async () => {
    const api = backend({ signedIn: true, ai: { hasApiKey: true, keyStore: "file", engine: "remote" } });
    renderApp();
    const form = await openAiSettings();
    expect(form.getByTestId("ai-key-note")).toHaveTextContent("Saved in an owner-only file (no keyring service)");
    expect(form.getByTestId("ai-api-key")).toHaveValue("");

    await userEvent.click(form.getByTestId("ai-remove-key"));
    await waitFor(() => expect(form.getByTestId("ai-key-note")).toHaveTextContent("No API key saved."));
    expect(api.callsOf("save_ai_settings")[0]?.args.settings).toMatchObject({ apiKey: null, clearApiKey: true, engine: "remote" });
  });

  it("asks for the key again when the address changes, since a key only goes to its own address", async () => {
    const api = backend({
      signedIn: true,
      ai: { hasApiKey: true, engine: "remote", baseUrl: "https://api.example.com/v1" },
    });
    renderApp();
    const form = await openAiSettings();
    expect(form.queryByTestId("ai-key-address-changed")).toBeNull();
    const address = form.getByTestId("ai-base-url");
    await userEvent.clear(address);
    await userEvent.type(address, "https://other.example.net/v1");
    expect(form.getByTestId("ai-key-address-changed")).toHaveTextContent(
      "The saved key is only ever sent to https://api.example.com/v1. Saving another address forgets it",
    );
    expect(form.getByTestId("ai-api-key")).toHaveAttribute("placeholder", "sk-…");

    await userEvent.click(form.getByTestId("ai-save"));
    expect(await form.findByTestId("ai-saved")).toHaveTextContent("Enter the API key for the new address.");
    expect(api.callsOf("save_ai_settings")[0]?.args.settings).toMatchObject({
      baseUrl: "https://other.example.net/v1",
      apiKey: null,
    });
    expect(form.getByTestId("ai-key-note")).toHaveTextContent("No API key saved.");
    expect(form.queryByTestId("ai-key-address-changed"), "nothing left to forget").toBeNull();
  });

  it("says when the saved key is for another address", async () => {
    backend({
      signedIn: true,
      ai: { hasApiKey: false, keyForOtherAddress: true, engine: "remote", baseUrl: "https://api.example.com/v1" },
    });
    renderApp();
    const form = await openAiSettings();
    expect(form.getByTestId("ai-key-note")).toHaveTextContent(
      "The saved key is for another address, so it is not used. Enter the key for this address.",
    );
  });

  it("marks the local engine as not installed", async () => {
    backend({ signedIn: true, ai: { localAvailable: false } });
    renderApp();
    const form = await openAiSettings();
    expect(form.getByTestId("ai-local-missing")).toHaveTextContent("not installed");
  });

  it("shows the backend's sentence for a refused setting and still clears the key", async () => {
    const api = backend({ signedIn: true });
    renderApp();
    const form = await openAiSettings();
    await userEvent.type(form.getByTestId("ai-base-url"), "ftp://example.com");
    await userEvent.type(form.getByTestId("ai-api-key"), SECRET);
    await userEvent.click(form.getByTestId("ai-save"));
    expect(await form.findByRole("alert")).toHaveTextContent("The base URL must start with https://");
    expect(form.getByTestId("ai-api-key")).toHaveValue("");
    expect(api.savedApiKey()).toBeNull();
  });
});
