import { QueryClientProvider } from "@tanstack/react-query";
import { act, render, waitFor } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";

import type { LibraryChange } from "../bindings";
import { useAuditLog } from "../features/audit";
import { useRecording, useRecordingSlices, type ListParams } from "../features/library";
import { useStats } from "../features/stats";
import { createQueryClient } from "../lib/queryClient";
import { backend } from "../test/backend";
import { useLibraryEvents } from "./useLibraryEvents";

const PARAMS: ListParams = { filter: {}, sortBy: "createdAt", sortOrder: "desc" };

/** Everything a library event could make stale, all on screen at once. */
function Shown({ one, other }: { one: string; other: string }) {
  useLibraryEvents(true);
  useRecordingSlices(PARAMS);
  useRecording(one);
  useRecording(other);
  useStats();
  useAuditLog();
  return null;
}

async function showAll() {
  const double = backend({ signedIn: true });
  const [one, other] = [double.rows[0]?.id ?? "", double.rows[1]?.id ?? ""];
  const client = createQueryClient();
  render(
    <QueryClientProvider client={client}>
      <Shown one={one} other={other} />
    </QueryClientProvider>,
  );
  const fetches = () => ({
    list: double.callsOf("list_recordings_after").length,
    one: double.callsOf("get_recording").filter((c) => c.args.id === one).length,
    other: double.callsOf("get_recording").filter((c) => c.args.id === other).length,
    stats: double.callsOf("recording_stats").length,
    audit: double.callsOf("list_audit").length,
  });
  await waitFor(() => expect(fetches(), "each query fetched once").toEqual({ list: 1, one: 1, other: 1, stats: 1, audit: 1 }));
  const changed = (change: LibraryChange) => act(() => emit("library-changed", { change }));
  return { one, other, client, fetches, changed };
}

describe("library events", () => {
  it("refetch one recording and the list when that recording changed, not the stats, the audit or another recording", async () => {
    const { one, client, fetches, changed } = await showAll();
    await changed({ kind: "recordings", ids: [one], totals: false });
    await waitFor(() => expect(fetches().one, "the changed recording is fetched again").toBe(2));
    await waitFor(() => expect(fetches().list, "the list is fetched again").toBe(2));
    expect(fetches(), "nothing else was fetched").toEqual({ list: 2, one: 2, other: 1, stats: 1, audit: 1 });
    expect(client.getQueryState(["stats"])?.isInvalidated, "the stats were not marked stale").toBe(false);
    expect(client.getQueryState(["audit"])?.isInvalidated, "the audit log was not marked stale").toBe(false);
  });

  it("refetch the stats too when a change moved a total", async () => {
    const { one, fetches, changed } = await showAll();
    await changed({ kind: "recordings", ids: [one], totals: true });
    await waitFor(() => expect(fetches().stats, "the stats are fetched again").toBe(2));
    await waitFor(() => expect(fetches().one).toBe(2));
    expect(fetches().other, "another recording is left alone").toBe(1);
    expect(fetches().audit, "the audit log is left alone").toBe(1);
  });

  it("refetch everything shown when anything may have changed (a sync, a cleanup)", async () => {
    const { fetches, changed } = await showAll();
    await changed({ kind: "everything" });
    await waitFor(() =>
      expect(fetches(), "every query fetched again").toEqual({ list: 2, one: 2, other: 2, stats: 2, audit: 2 }),
    );
  });
});
