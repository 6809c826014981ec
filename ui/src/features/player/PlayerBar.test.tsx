import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

// jsdom has no canvas: getContext answers null, and the waveform must cope.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => vi.restoreAllMocks());

/** Opens the first recording's details and presses its Play button. */
async function playFirst() {
  const rows = await screen.findAllByTestId("recording-row");
  await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
  await userEvent.click(await screen.findByTestId("details-play"));
}

describe("player bar", () => {
  it("plays the recording shown in the details", async () => {
    const { callsOf, rows } = backend({ signedIn: true });
    renderApp();
    await playFirst();
    await waitFor(() => expect(callsOf("play_recording")).toHaveLength(1));
    expect(callsOf("play_recording")[0]?.args).toEqual({ recordingId: rows[0]?.id });
    const bar = screen.getByTestId("player-bar");
    await waitFor(() => expect(within(bar).getByTestId("player-now")).toHaveAttribute("data-recording", rows[0]?.id));
    expect(within(bar).getByTestId("player-time")).toHaveTextContent("0:00 / 1:01");
    expect(within(bar).getByTestId("player-play")).toHaveAccessibleName("Pause");
  });

  it("toggles with Space, but not while typing in the search box", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await playFirst();
    await waitFor(() => expect(screen.getByTestId("player-play")).toHaveAccessibleName("Pause"));

    await userEvent.keyboard(" ");
    await waitFor(() => expect(callsOf("player_pause")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("player-play")).toHaveAccessibleName("Play"));
    await userEvent.keyboard(" ");
    await waitFor(() => expect(callsOf("player_resume")).toHaveLength(1));

    await userEvent.type(screen.getByTestId("search-input"), "ana lee");
    expect(callsOf("player_pause")).toHaveLength(1);
    expect(callsOf("player_resume")).toHaveLength(1);
  });

  it("seeks to where the waveform is clicked", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await playFirst();
    const canvas = screen.getByTestId("player-waveform");
    await waitFor(() => expect(screen.getByTestId("player-time")).toHaveTextContent("/ 1:01"));
    vi.spyOn(canvas, "getBoundingClientRect").mockReturnValue(DOMRect.fromRect({ x: 100, y: 0, width: 400, height: 40 }));

    fireEvent.pointerDown(canvas, { clientX: 200, button: 0, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 200, button: 0, pointerId: 1 });

    await waitFor(() => expect(callsOf("player_seek")).toHaveLength(1));
    // A quarter of the way along a 61-second call.
    expect(callsOf("player_seek")[0]?.args).toEqual({ positionMs: 15_250 });
    await waitFor(() => expect(screen.getByTestId("player-time")).toHaveTextContent("0:15 / 1:01"));
  });

  it("changes speed from the select and says pitch follows", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await playFirst();
    await userEvent.selectOptions(screen.getByTestId("player-speed"), "1.5");
    // The first is the person's kept speed, given to the player when the window opened.
    await waitFor(() => expect(callsOf("player_set_speed")).toHaveLength(2));
    expect(callsOf("player_set_speed").map((c) => c.args)).toEqual([{ speed: 1 }, { speed: 1.5 }]);
    expect(screen.getByTestId("player-pitch")).toHaveTextContent("Pitch changes with speed");
    await userEvent.keyboard("]");
    await waitFor(() => expect(callsOf("player_set_speed").at(-1)?.args).toEqual({ speed: 1.75 }));
  });

  it("says in plain words that a recording is not available offline", async () => {
    backend({
      signedIn: true,
      failWith: { play_recording: { code: "not_available_offline", message: "Not available offline." } },
    });
    renderApp();
    await playFirst();
    expect(await screen.findByTestId("player-error")).toHaveTextContent("Not available offline — download it first");
  });

  it("says when there is no audio device and playback runs silently", async () => {
    backend({
      signedIn: true,
      player: { outputDevice: false, error: { code: "no_audio_device", message: "No audio output device was found." } },
    });
    renderApp();
    expect(await screen.findByTestId("player-error")).toHaveTextContent(
      "No audio output device found; playback runs silently",
    );
  });

  it("mutes and unmutes with M", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await playFirst();
    await waitFor(() => expect(screen.getByTestId("player-play")).toHaveAccessibleName("Pause"));
    await userEvent.keyboard("m");
    await waitFor(() => expect(screen.getByTestId("player-mute")).toHaveAttribute("aria-pressed", "true"));
    await userEvent.keyboard("m");
    // The kept level given when the window opened, then mute and unmute.
    await waitFor(() => expect(callsOf("player_set_volume").map((c) => c.args.volume)).toEqual([1, 0, 1]));
  });
});
