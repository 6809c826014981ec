import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { aiAnalysis, metrics, transcript } from "../../test/fixtures";
import { openRecording } from "../../test/library";
import { renderApp } from "../../test/render";

/** The fourth recording: its audio is on this computer. */
const DOWNLOADED = "RE" + (4).toString(16).padStart(32, "0");

async function openAnalysis(id = DOWNLOADED) {
  return within(within(await openRecording(id)).getByTestId("analysis-panel"));
}

describe("call analysis", () => {
  it("shows what was found before as soon as the panel opens", async () => {
    backend({
      signedIn: true,
      transcripts: { [DOWNLOADED]: transcript() },
      analyses: {
        [DOWNLOADED]: { metrics: metrics(), ai: aiAnalysis(), aiModel: "gpt-4o-mini", updatedAt: "2026-11-21T10:15:00Z" },
      },
    });
    renderApp();
    const panel = await openAnalysis();
    const found = await panel.findByTestId("analysis-metrics");
    expect(found).toHaveTextContent("Talk 62%");
    expect(found).toHaveTextContent("Silence 38%");
    expect(found).toHaveTextContent("Longest silence6.0 s");
    expect(found).toHaveTextContent("Agent0:21 talking · -21.3 dBFS");
    expect(found).toHaveTextContent("Customer0:17 talking · -24.8 dBFS");
    expect(found).toHaveTextContent("Loudness-22.5 dBFS · peak -3.1 dBFS");
    const ai = panel.getByTestId("analysis-ai");
    expect(ai).toHaveTextContent("The customer asked for a refund for a damaged parcel.");
    expect(within(ai).getByTestId("analysis-sentiment")).toHaveTextContent("Negative");
    expect(within(ai).getByRole("list", { name: "Topics" })).toHaveTextContent("refunddamaged parcel");
    expect(within(ai).getByText("Email the return label")).toBeInTheDocument();
    expect(within(ai).getByTestId("analysis-model")).toHaveTextContent("By gpt-4o-mini");
  });

  it("measures the audio on request, and waits for a transcript before asking the AI", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    const panel = await openAnalysis();
    expect(panel.queryByTestId("analysis-metrics")).toBeNull();
    await waitFor(() => expect(panel.getByTestId("analyse-ai")).toBeDisabled());
    expect(panel.getByTestId("analysis-reason")).toHaveTextContent("Transcribe the call for the AI to read it.");

    await userEvent.click(panel.getByTestId("analyse-audio"));
    expect(await panel.findByTestId("analysis-metrics")).toHaveTextContent("Talk 62%");
    expect(callsOf("analyse_audio").map((c) => c.args)).toEqual([{ id: DOWNLOADED }]);
    expect(panel.getByTestId("analyse-audio")).toHaveTextContent("Analyse audio again");
  });

  it("asks the AI about the transcript and names the model", async () => {
    const { callsOf } = backend({ signedIn: true, transcripts: { [DOWNLOADED]: transcript() } });
    renderApp();
    const panel = await openAnalysis();
    await waitFor(() => expect(panel.getByTestId("analyse-ai")).toBeEnabled());
    await userEvent.click(panel.getByTestId("analyse-ai"));
    const ai = await panel.findByTestId("analysis-ai");
    expect(ai).toHaveTextContent("Issue the refund");
    await waitFor(() => expect(within(ai).getByTestId("analysis-model")).toHaveTextContent("By gpt-4o-mini ·"));
    expect(callsOf("analyse_with_ai")).toHaveLength(1);
  });

  it("shows the backend's sentence when an analysis fails", async () => {
    backend({
      signedIn: true,
      transcripts: { [DOWNLOADED]: transcript() },
      failWith: {
        analyse_audio: { code: "audio_unreadable", message: "This recording's audio could not be read." },
        analyse_with_ai: { code: "analysis_auth", message: "The AI service refused the API key." },
      },
    });
    renderApp();
    const panel = await openAnalysis();
    await userEvent.click(panel.getByTestId("analyse-audio"));
    expect(await panel.findByTestId("analyse-audio-error")).toHaveTextContent("This recording's audio could not be read.");
    await waitFor(() => expect(panel.getByTestId("analyse-ai")).toBeEnabled());
    await userEvent.click(panel.getByTestId("analyse-ai"));
    expect(await panel.findByTestId("analyse-ai-error")).toHaveTextContent("The AI service refused the API key.");
    expect(panel.queryByTestId("analysis-ai")).toBeNull();
  });

  it("needs the audio on this computer to measure it", async () => {
    const { rows } = backend({ signedIn: true });
    renderApp();
    const panel = await openAnalysis(rows[0]?.id);
    expect(panel.getByTestId("analyse-audio")).toBeDisabled();
    expect(panel.getByTestId("analysis-reason")).toHaveTextContent("Download the audio to measure it.");
    expect(screen.getByTestId("details-panel")).toBeInTheDocument();
  });
});
