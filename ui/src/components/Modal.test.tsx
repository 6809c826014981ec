import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { ConfirmDialog } from "./ConfirmDialog";

/** A page with a button that opens a confirmation, and a control behind it. */
function Page() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Behind</button>
      <button type="button" onClick={() => setOpen(true)}>
        Delete…
      </button>
      {open && (
        <ConfirmDialog title="Delete this recording?" confirmLabel="Delete" onConfirm={() => setOpen(false)} onCancel={() => setOpen(false)}>
          <p>It cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

describe("dialogs by keyboard", () => {
  it("keep Tab and Shift+Tab inside the dialog", async () => {
    render(<Page />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    const confirm = screen.getByRole("button", { name: "Delete" });
    const cancel = screen.getByRole("button", { name: "Cancel" });
    expect(confirm, "the way forward has focus first").toHaveFocus();
    await userEvent.tab();
    expect(cancel, "Tab from the last control wraps to the first").toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(confirm, "Shift+Tab from the first wraps to the last").toHaveFocus();
  });

  it("give focus back to what opened them when they close", async () => {
    render(<Page />);
    const opener = screen.getByRole("button", { name: "Delete…" });
    await userEvent.click(opener);
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(opener, "focus back on the opener after Escape").toHaveFocus();
  });
});
