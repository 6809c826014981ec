import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { renderApp } from "../../test/render";

const rowNumbers = () => screen.getAllByTestId("row-number").map((c) => c.textContent);

describe("library table", () => {
  it("searches as you type: each key's rows at once, without their total; the count once typing pauses", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    const before = callsOf("list_recordings_after").length;
    await userEvent.type(screen.getByTestId("search-input"), "0042");
    await waitFor(() => expect(rowNumbers()).toEqual(["+1 555 000 0042"]));
    const searches = callsOf("list_recordings_after")
      .slice(before)
      .map((c) => c.args.request as { filter: { search?: string }; withoutTotal?: boolean });
    expect(searches.map((r) => r.filter.search), "a search for every key").toEqual(["0", "00", "004", "0042"]);
    expect(searches.every((r) => r.withoutTotal), "a search's rows come without the count").toBe(true);
    // The count: one, for the text typing stopped at.
    await waitFor(() => expect(screen.getByTestId("library-total")).toHaveTextContent("1 recording"));
    expect(callsOf("count_recordings").map((c) => (c.args.filter as { search?: string }).search)).toEqual(["0042"]);
  });

  it("`/` focuses the search box", async () => {
    backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.keyboard("/");
    expect(screen.getByTestId("search-input")).toHaveFocus();
  });

  it("sorts by a header, and flips the order on a second click", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByTestId("sort-duration"));
    await waitFor(() => expect(rowNumbers()[0]).toBe("+1 555 000 0120"));
    expect(callsOf("list_recordings_after").at(-1)?.args.request).toMatchObject({ sortBy: "duration", sortOrder: "desc" });
    expect(screen.getByTestId("sort-duration").closest("th")).toHaveAttribute("aria-sort", "descending");

    await userEvent.click(screen.getByTestId("sort-duration"));
    await waitFor(() => expect(rowNumbers()[0]).toBe("+1 555 000 0001"));
    expect(callsOf("list_recordings_after").at(-1)?.args.request).toMatchObject({ sortBy: "duration", sortOrder: "asc" });
  });

  it("bulk-archives the ticked rows and says so in a toast", async () => {
    const { callsOf, rows } = backend({ signedIn: true });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[0] as HTMLElement).getByTestId("row-checkbox"));
    await userEvent.click(within(shown[1] as HTMLElement).getByTestId("row-checkbox"));
    const bar = screen.getByTestId("bulk-bar");
    expect(bar).toHaveTextContent("2 selected");
    await userEvent.click(within(bar).getByTestId("bulk-archive"));
    expect(await screen.findByTestId("toast")).toHaveTextContent("Archived 2 recordings");
    expect(callsOf("bulk_update").map((c) => c.args)).toEqual([{ action: "archive", ids: [rows[0]?.id, rows[1]?.id] }]);
    expect(screen.queryByTestId("bulk-bar"), "the selection is cleared after archiving").toBeNull();
  });

  it("ticks a range with shift-click", async () => {
    backend({ signedIn: true });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[1] as HTMLElement).getByTestId("row-checkbox"));
    fireEvent.click(within(shown[4] as HTMLElement).getByTestId("row-checkbox"), { shiftKey: true });
    expect(screen.getByTestId("bulk-bar")).toHaveTextContent("4 selected");
  });

  it("shows the core's sentence when a bulk delete hits a recording on legal hold", async () => {
    const refusal = "1 of these 2 recordings is on legal hold, so nothing was deleted. Lift its hold first.";
    const { callsOf } = backend({ signedIn: true, failWith: { bulk_update: { code: "legal_hold", message: refusal } } });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[0] as HTMLElement).getByTestId("row-checkbox"));
    await userEvent.click(screen.getByTestId("bulk-delete"));
    await userEvent.click(await screen.findByTestId("confirm-button"));
    expect(await screen.findByTestId("toast")).toHaveTextContent(refusal);
    expect(callsOf("bulk_update")[0]?.args).toMatchObject({ action: "delete" });
  });

  it("falls back to the backend's message for a refused bulk action", async () => {
    backend({
      signedIn: true,
      failWith: { bulk_update: { code: "not_found", message: "2 of the 3 recordings were refused." } },
    });
    renderApp();
    const shown = await screen.findAllByTestId("recording-row");
    await userEvent.click(within(shown[0] as HTMLElement).getByTestId("row-checkbox"));
    await userEvent.click(screen.getByTestId("bulk-star"));
    const toast = await screen.findByTestId("toast");
    expect(toast).toHaveTextContent("2 of the 3 recordings were refused.");
    expect(toast).toHaveAttribute("role", "alert");
  });

  it("moves with the arrow keys and stars the selected recording with `s`", async () => {
    const { callsOf, rows } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.keyboard("{ArrowDown}{ArrowDown}");
    expect(screen.getAllByTestId("recording-row")[1]).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("s");
    await waitFor(() => expect(callsOf("update_recording")).toHaveLength(1));
    expect(callsOf("update_recording")[0]?.args).toEqual({ id: rows[1]?.id, patch: { starred: true } });
    await waitFor(() =>
      expect(within(screen.getAllByTestId("recording-row")[1] as HTMLElement).getByTestId("star-toggle")).toHaveAttribute(
        "aria-pressed",
        "true",
      ),
    );
    await userEvent.keyboard("{Enter}");
    expect(await screen.findByTestId("details-panel")).toBeInTheDocument();
  });

  it("ignores shortcuts while typing in the search box", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.keyboard("{ArrowDown}");
    const input = screen.getByTestId("search-input");
    act(() => input.focus());
    fireEvent.keyDown(input, { key: "s" });
    fireEvent.keyDown(input, { key: "e" });
    expect(callsOf("update_recording")).toHaveLength(0);
  });

  it("filters to starred recordings from the sidebar", async () => {
    const { callsOf } = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByTestId("filter-scope-starred"));
    await waitFor(() => expect(screen.getByTestId("library-total")).toHaveTextContent("24 recordings"));
    expect(callsOf("list_recordings_after").at(-1)?.args.request).toMatchObject({ filter: { starred: true } });
  });
});

describe("signals that do not rest on colour", () => {
  it("names the sign of a recording kept on this computer, not a green dot alone", async () => {
    backend({ signedIn: true });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    // The fixtures keep every fourth recording offline: the fourth row is, the first is not.
    // Its shape (a download sign) is drawn by library.css, which jsdom does not apply.
    expect(within(rows[3] as HTMLElement).getByRole("img", { name: "Available offline" })).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).queryByRole("img", { name: "Available offline" })).toBeNull();
  });
});
