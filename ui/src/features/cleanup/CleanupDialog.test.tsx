import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

describe("cleanup dialog", () => {
  it("shows the preview for the chosen policy before anything runs", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByTestId("open-cleanup"));
    const dialog = await screen.findByTestId("cleanup-dialog");

    const days = within(dialog).getByTestId("cleanup-days");
    await userEvent.clear(days);
    await userEvent.type(days, "60");
    await userEvent.click(within(dialog).getByTestId("cleanup-include-starred"));

    await waitFor(() => expect(within(dialog).getByTestId("cleanup-count")).toHaveTextContent("60"));
    const preview = within(dialog).getByTestId("cleanup-preview");
    expect(preview).toHaveTextContent("7 audio files · 7.0 MB");
    expect(preview).toHaveTextContent("Kept: 2 starred · 1 on legal hold");
    expect(callsOf("run_cleanup"), "a preview changes nothing").toHaveLength(0);
    expect(callsOf("preview_cleanup").at(-1)?.args.policy).toEqual({
      olderThanDays: 60,
      removeRecords: false,
      includeStarred: true,
    });

    await waitFor(() => expect(within(dialog).getByTestId("cleanup-run")).toBeEnabled());
    await userEvent.click(within(dialog).getByTestId("cleanup-run"));
    expect(await within(dialog).findByTestId("cleanup-result")).toHaveTextContent("Removed 7 audio files");
    expect(callsOf("run_cleanup").map((c) => c.args.policy)).toEqual([
      { olderThanDays: 60, removeRecords: false, includeStarred: true },
    ]);
  });
});
