import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../test/backend";
import { renderApp } from "../test/render";

describe("App", () => {
  it("offers the demo workspace when nobody is signed in, and opens its library", async () => {
    backend();
    renderApp();
    await userEvent.click(await screen.findByTestId("open-demo"));
    const rows = await screen.findAllByTestId("recording-row");
    expect(rows.length, "the virtualised table renders a window of rows").toBeGreaterThanOrEqual(10);
    expect(rows.length, "…not every loaded row").toBeLessThan(50);
    expect(screen.getByTestId("library-total")).toHaveTextContent("120 recordings");
  });

  it("loads the list in slices through the cursor command", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    const first = callsOf("list_recordings_after")[0]?.args.request;
    expect(first).toMatchObject({ after: null, limit: 50, sortBy: "createdAt", sortOrder: "desc" });
  });

  it("opens a recording's details when its row is clicked", async () => {
    backend({ signedIn: true });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    const row = rows[2];
    if (!row) throw new Error("expected a third row");
    await userEvent.click(within(row).getByTestId("row-number"));
    const panel = await screen.findByTestId("details-panel");
    expect(await within(panel).findByText("+1 555 000 0003"), "the panel shows the clicked call").toBeInTheDocument();
    expect(within(panel).getByText("3 times"), "play count is shown").toBeInTheDocument();
  });

  it("shows the backend's friendly message, not internals, when the list fails", async () => {
    backend({ signedIn: true, failList: true });
    renderApp();
    expect(await screen.findByRole("alert", {}, { timeout: 5000 })).toHaveTextContent(
      "The local library could not be read or written.",
    );
  });

  it("forgets the library on sign-out and returns to the sign-in screen", async () => {
    const { calls } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByRole("button", { name: /^Account:/ }));
    await userEvent.click(screen.getByRole("menuitem", { name: "Sign out" }));
    expect(await screen.findByTestId("open-demo")).toBeInTheDocument();
    expect(screen.queryByTestId("recording-row"), "no recording of the old session stays on screen").toBeNull();
    expect(calls.filter((c) => c.cmd === "sign_out").map((c) => c.args)).toEqual([{ removeData: false }]);
  });
});
