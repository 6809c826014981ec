import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { backend } from "../../test/backend";
import { transcript } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { matchPieces } from "./transcriptMatch";

const ID = "RE" + (4).toString(16).padStart(32, "0");
const HOSTILE = "<img src=x onerror=alert(1)> I want a refund <b>now</b>";

describe("words said in calls, in the library", () => {
  it("says the search covers words said", async () => {
    backend({ signedIn: true });
    renderApp();
    expect(await screen.findByTestId("search-input")).toHaveAttribute("placeholder", "Search numbers, names or words said");
  });

  it("shows the matched transcript line under the name, the words marked and markup left as text", async () => {
    backend({ signedIn: true, transcripts: { [ID]: transcript([[1_000, 4_000, "customer", HOSTILE]]) } });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.type(screen.getByTestId("search-input"), "refund");
    await waitFor(() => expect(screen.getByTestId("library-total")).toHaveTextContent("1 recording"));

    const row = screen.getByTestId("recording-row");
    expect(row).toHaveAttribute("data-id", ID);
    expect(row).toHaveClass("with-match");
    const match = within(row).getByTestId("transcript-match");
    expect([...match.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["refund"]);
    expect(match).toHaveTextContent("<img src=x onerror=alert(1)> I want a refund <b>now</b>");
    expect(match.querySelector("img, b"), "no element came from the data").toBeNull();
    expect(match.children).toHaveLength(1);
  });
});

describe("matchPieces", () => {
  it("cuts a snippet at its marks", () => {
    expect(matchPieces("…said \u0002refund\u0003 twice \u0002refund\u0003")).toEqual([
      { text: "…said ", hit: false },
      { text: "refund", hit: true },
      { text: " twice ", hit: false },
      { text: "refund", hit: true },
    ]);
  });

  it("drops stray marks", () => {
    expect(matchPieces("a\u0003b\u0002c")).toEqual([
      { text: "a", hit: false },
      { text: "b", hit: false },
      { text: "c", hit: true },
    ]);
  });
});
