import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend, type BackendOptions } from "../../test/backend";
import { transcript } from "../../test/fixtures";
import { openRecording } from "../../test/library";
import { renderApp } from "../../test/render";

// jsdom has no canvas: the player bar's waveform must cope with none.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => vi.restoreAllMocks());

const lines = () => screen.getAllByTestId("transcript-line");
const current = () => lines().filter((l) => l.getAttribute("aria-current") === "true");

describe("transcribing a recording", () => {
  it("shows each stage and channel while it runs, and cancels", async () => {
    const api = backend({ signedIn: true, holdTranscription: true });
    const id = api.rows[3]?.id ?? "";
    renderApp();
    const panel = within(await openRecording(id)).getByTestId("transcript-panel");
    await userEvent.click(await within(panel).findByTestId("transcribe-button"));

    const progress = await within(panel).findByTestId("transcript-progress");
    expect(progress).toHaveTextContent("Starting…");
    await act(() => api.transcriptionProgress({ recordingId: id, stage: "decoding", channel: 0, channels: 1 }));
    await waitFor(() => expect(progress).toHaveTextContent("Decoding the audio…"));
    await act(() => api.transcriptionProgress({ recordingId: id, stage: "transcribing", channel: 1, channels: 2 }));
    await waitFor(() => expect(progress).toHaveTextContent("Transcribing · channel 2 of 2…"));
    // Another recording's job says nothing here.
    await act(() => api.transcriptionProgress({ recordingId: "RE-other", stage: "saving", channel: 0, channels: 1 }));
    expect(progress).toHaveTextContent("channel 2 of 2");

    await userEvent.click(within(panel).getByTestId("transcript-cancel"));
    expect(await within(panel).findByTestId("transcript-error")).toHaveTextContent("The transcription was cancelled.");
    expect(api.callsOf("cancel_transcription").map((c) => c.args)).toEqual([{ id }]);
    expect(within(panel).queryByTestId("transcript-progress")).toBeNull();
    expect(within(panel).getByTestId("transcribe-button")).toBeEnabled();
  });

  it("keeps a running job across closing and reopening the panel, then lists the lines", async () => {
    const api = backend({ signedIn: true, holdTranscription: true });
    const id = api.rows[3]?.id ?? "";
    renderApp();
    await userEvent.click(within(await openRecording(id)).getByTestId("transcribe-button"));
    await act(() => api.transcriptionProgress({ recordingId: id, stage: "transcribing", channel: 0, channels: 2 }));
    await userEvent.click(screen.getByRole("button", { name: "Close details" }));

    const panel = within(await openRecording(id)).getByTestId("transcript-panel");
    expect(await within(panel).findByTestId("transcript-progress")).toHaveTextContent("channel 1 of 2");
    expect(within(panel).queryByTestId("transcribe-button")).toBeNull();

    act(() => api.finishTranscription());
    await waitFor(() => expect(lines()).toHaveLength(4));
    expect(within(panel).queryByTestId("transcript-progress")).toBeNull();
    expect(api.callsOf("transcribe_recording")).toHaveLength(1);
  });

  it("needs the audio on this computer first", async () => {
    const api = backend({ signedIn: true });
    renderApp();
    const panel = within(await openRecording(api.rows[0]?.id ?? "")).getByTestId("transcript-panel");
    expect(await within(panel).findByTestId("transcribe-button")).toBeDisabled();
    expect(within(panel).getByTestId("transcribe-reason")).toHaveTextContent("Download the audio first");
  });

  it("shows the backend's sentence when the service refuses", async () => {
    const api = backend({
      signedIn: true,
      failWith: { transcribe_recording: { code: "transcription_auth", message: "The transcription service refused the API key." } },
    });
    renderApp();
    const panel = within(await openRecording(api.rows[3]?.id ?? "")).getByTestId("transcript-panel");
    await userEvent.click(await within(panel).findByTestId("transcribe-button"));
    expect(await within(panel).findByRole("alert")).toHaveTextContent("The transcription service refused the API key.");
  });
});

describe("a transcript", () => {
  /** The fourth recording: downloaded, and transcribed before the test. */
  const id = "RE" + (4).toString(16).padStart(32, "0");
  const withTranscript = (opts: BackendOptions = {}) =>
    backend({ signedIn: true, transcripts: { [id]: transcript() }, ...opts });

  it("lists time, speaker and text, and plays from a clicked line", async () => {
    const api = withTranscript();
    renderApp();
    await openRecording(id);
    await waitFor(() => expect(lines()).toHaveLength(4));
    const line = within(lines()[1] as HTMLElement);
    expect(line.getByText("0:04")).toBeInTheDocument();
    expect(line.getByText("Customer")).toBeInTheDocument();
    expect(line.getByText("I would like a refund for my last order")).toBeInTheDocument();
    expect(within(lines()[0] as HTMLElement).getByText("Agent")).toBeInTheDocument();
    expect(lines().map((l) => l.dataset.startMs)).toEqual(["0", "4000", "9500", "20000"]);

    // Not playing yet: the recording starts, then jumps to the line.
    await userEvent.click(lines()[2] as HTMLElement);
    await waitFor(() => expect(api.callsOf("player_seek").map((c) => c.args)).toEqual([{ positionMs: 9_500 }]));
    expect(api.callsOf("play_recording").map((c) => c.args)).toEqual([{ recordingId: id }]);

    // Playing already: only a seek.
    await userEvent.click(lines()[3] as HTMLElement);
    await waitFor(() => expect(api.callsOf("player_seek")).toHaveLength(2));
    expect(api.callsOf("player_seek")[1]?.args).toEqual({ positionMs: 20_000 });
    expect(api.callsOf("play_recording")).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("player-time")).toHaveTextContent("0:20 / 1:04"));
  });

  it("marks the line the player is in, and only while this recording plays", async () => {
    const api = withTranscript();
    renderApp();
    await openRecording(id);
    await waitFor(() => expect(lines()).toHaveLength(4));
    expect(current()).toHaveLength(0);

    await userEvent.click(screen.getByTestId("details-play"));
    await waitFor(() => expect(current()).toEqual([lines()[0]]));
    await act(() => api.playerMoves({ positionMs: 5_000 }));
    await waitFor(() => expect(current()).toEqual([lines()[1]]));
    await act(() => api.playerMoves({ positionMs: 16_000 }));
    await waitFor(() => expect(current(), "nobody speaks between 0:14 and 0:20").toHaveLength(0));
    await act(() => api.playerMoves({ positionMs: 21_000 }));
    await waitFor(() => expect(current()).toEqual([lines()[3]]));
    expect(lines()[3], "following the player never takes focus").not.toHaveFocus();

    await act(() => api.playerMoves({ recordingId: api.rows[0]?.id ?? null }));
    await waitFor(() => expect(current(), "another recording is playing").toHaveLength(0));
  });

  it("transcribes again, keeping the old lines until the new ones arrive", async () => {
    const api = withTranscript({ holdTranscription: true, transcripts: { [id]: transcript([[0, 2_000, "agent", "Old words"]]) } });
    renderApp();
    const panel = within(within(await openRecording(id)).getByTestId("transcript-panel"));
    await waitFor(() => expect(lines()).toHaveLength(1));
    await userEvent.click(panel.getByTestId("transcribe-again"));
    expect(await panel.findByTestId("transcript-progress")).toBeInTheDocument();
    expect(lines(), "the old transcript stays readable meanwhile").toHaveLength(1);
    act(() => api.finishTranscription());
    await waitFor(() => expect(lines()).toHaveLength(4));
    expect(panel.getByTestId("transcribe-again")).toBeEnabled();
  });

  it("scrolls its own list, not the panel, to keep the played line in view", async () => {
    const api = withTranscript();
    renderApp();
    const panel = await openRecording(id);
    await waitFor(() => expect(lines()).toHaveLength(4));
    // jsdom lays nothing out: a 200 px list whose last line sits 300 px down.
    const list = screen.getByRole("list", { name: "Transcript lines" });
    Object.defineProperty(list, "clientHeight", { value: 200 });
    Object.defineProperty(lines()[3], "offsetTop", { value: 300 });
    Object.defineProperty(lines()[3], "offsetHeight", { value: 40 });
    const search = screen.getByTestId("transcript-search");

    await userEvent.click(screen.getByTestId("details-play"));
    act(() => search.focus());
    await act(() => api.playerMoves({ positionMs: 21_000 }));
    await waitFor(() => expect(list.scrollTop).toBeCloseTo(300 - 200 / 3));
    expect(panel.scrollTop).toBe(0);
    expect(search, "the typing field keeps the focus").toHaveFocus();
  });

  it("narrows the lines to the typed words and highlights them", async () => {
    withTranscript();
    renderApp();
    await openRecording(id);
    const search = await screen.findByTestId("transcript-search");

    await userEvent.type(search, "ORDER");
    await waitFor(() => expect(lines()).toHaveLength(2));
    expect(lines().map((l) => l.dataset.startMs)).toEqual(["4000", "9500"]);
    expect(screen.getByText("2 of 4 lines")).toBeInTheDocument();
    expect(lines()[0]?.querySelector("mark")).toHaveTextContent("order");

    await userEvent.clear(search);
    await userEvent.type(search, "the order");
    expect(lines().map((l) => l.dataset.startMs)).toEqual(["9500"]);
    expect([...(lines()[0]?.querySelectorAll("mark") ?? [])].map((m) => m.textContent)).toEqual(["the", "order"]);

    await userEvent.type(search, " zebra");
    expect(screen.queryAllByTestId("transcript-line")).toHaveLength(0);
    expect(screen.getByText("No line says that.")).toBeInTheDocument();

    await userEvent.keyboard("{Escape}");
    expect(lines()).toHaveLength(4);
  });
});
