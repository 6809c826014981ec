import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { createQueryClient } from "../lib/queryClient";
import { resetPrefs } from "../lib/prefs";
import { backend } from "../test/backend";
import { App } from "./App";
import { firstScreenReady, prefetchFirstScreen } from "./firstScreen";

function renderWith(client: ReturnType<typeof createQueryClient>) {
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

describe("the first screen", () => {
  it("has its rows in the first render when its data was asked for before rendering", async () => {
    resetPrefs();
    const { callsOf } = backend({ signedIn: true });
    const client = createQueryClient();
    await prefetchFirstScreen(client);
    renderWith(client);
    // No await: the rows are there in the very first commit, not after a second render.
    expect(screen.getAllByTestId("recording-row").length).toBeGreaterThanOrEqual(10);
    expect(screen.getByTestId("library-total")).toHaveTextContent("120 recordings");
    expect(callsOf("list_recordings_after"), "the list was read once, before the render").toHaveLength(1);
    expect(callsOf("recording_stats").length).toBeGreaterThanOrEqual(1);
  });

  it("asks for no list when nobody is signed in", async () => {
    resetPrefs();
    const { callsOf } = backend();
    const client = createQueryClient();
    await prefetchFirstScreen(client);
    renderWith(client);
    expect(await screen.findByTestId("open-demo")).toBeInTheDocument();
    expect(callsOf("list_recordings_after")).toHaveLength(0);
  });

  it("does not hold the window when an answer never comes", async () => {
    resetPrefs();
    backend({ signedIn: true });
    const client = createQueryClient();
    vi.spyOn(client, "fetchQuery").mockReturnValue(new Promise(() => undefined));
    await firstScreenReady(client, 50);
    expect(client.getQueryData(["session"]), "it rendered without the session, after the wait").toBeUndefined();
  });
});
