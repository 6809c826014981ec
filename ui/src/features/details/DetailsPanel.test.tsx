import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const ALLOWED = ["tags", "category", "priority", "starred", "archived", "notes"];

async function openFirst() {
  const rows = await screen.findAllByTestId("recording-row");
  await userEvent.click(within(rows[0] as HTMLElement).getByTestId("row-number"));
  const panel = await screen.findByTestId("details-panel");
  await within(panel).findByTestId("priority-select");
  return panel;
}

describe("details editor", () => {
  it("sends only the changed, allow-listed field of each edit", async () => {
    const { callsOf, rows } = backend({ signedIn: true });
    renderApp();
    const panel = await openFirst();

    await userEvent.selectOptions(within(panel).getByTestId("priority-select"), "high");
    await userEvent.type(within(panel).getByTestId("tag-input"), "follow-up{Enter}");
    await userEvent.type(within(panel).getByTestId("notes-input"), "Call back Monday");
    await userEvent.click(within(panel).getByTestId("notes-save"));

    await waitFor(() => expect(callsOf("update_recording")).toHaveLength(3));
    const patches = callsOf("update_recording").map((c) => c.args);
    expect(patches).toEqual([
      { id: rows[0]?.id, patch: { priority: "high" } },
      { id: rows[0]?.id, patch: { tags: ["vip", "follow-up"] } },
      { id: rows[0]?.id, patch: { notes: "Call back Monday" } },
    ]);
    for (const { args } of callsOf("update_recording")) {
      for (const key of Object.keys(args.patch as object)) expect(ALLOWED).toContain(key);
    }
  });

  it("removes a tag chip", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    const panel = await openFirst();
    await userEvent.click(within(panel).getByRole("button", { name: "Remove tag vip" }));
    await waitFor(() => expect(callsOf("update_recording")[0]?.args.patch).toEqual({ tags: [] }));
  });

  it("explains a refused delete of a recording on legal hold", async () => {
    const refusal = "This recording is on legal hold, so it cannot be deleted. Lift the hold first.";
    backend({ signedIn: true, failWith: { delete_recording: { code: "legal_hold", message: refusal } } });
    renderApp();
    const panel = await openFirst();
    await userEvent.click(within(panel).getByTestId("delete-button"));
    await userEvent.click(await screen.findByTestId("confirm-button"));
    expect(await within(panel).findByTestId("delete-error"), "beside the button, as the core says it").toHaveTextContent(refusal);
    expect(await screen.findByTestId("toast"), "and in a toast").toHaveTextContent(refusal);
  });
});
