import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

/** Opens a recording's details from its row in the table; answers the panel once it has loaded. */
export async function openRecording(id: string) {
  await screen.findAllByTestId("recording-row");
  const row = document.querySelector<HTMLElement>(`[data-testid="recording-row"][data-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  await userEvent.click(within(row).getByTestId("row-number"));
  const panel = await screen.findByTestId("details-panel");
  await within(panel).findByTestId("priority-select");
  return panel;
}
