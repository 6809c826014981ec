import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { backend } from "../test/backend";
import { renderApp } from "../test/render";

describe("date filters", () => {
  it("say 'Any' when empty, instead of a greyed date that reads like a value", async () => {
    backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    for (const id of ["filter-from", "filter-to"]) {
      const input = screen.getByTestId(id) as HTMLInputElement;
      expect(input.value, `${id} holds no date`).toBe("");
      expect(input, `${id} is marked empty, so its greyed date fields are hidden`).toHaveClass("no-date");
      expect(input.parentElement, `${id} shows the word Any`).toHaveTextContent("Any");
    }
  });

  it("shows the chosen date and no longer says 'Any'", async () => {
    backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    const from = screen.getByTestId("filter-from") as HTMLInputElement;
    fireEvent.change(from, { target: { value: "2026-11-02" } });
    expect(from).toHaveValue("2026-11-02");
    expect(from).not.toHaveClass("no-date");
    expect(from.parentElement).not.toHaveTextContent("Any");
  });
});
