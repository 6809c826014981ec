import { QueryClientProvider } from "@tanstack/react-query";
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { QueueStatus } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { DownloadQueue } from "./DownloadQueue";

const queue = (q: Partial<QueueStatus>): QueueStatus => ({
  waiting: 0, failed: 0, done: 0, running: 0, paused: false, ...q,
});

function backend(initial: QueueStatus) {
  let current = initial;
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "download_queue_status":
          return current;
        case "pause_downloads": {
          const { paused } = args as { paused: boolean };
          current = { ...current, paused };
          return current;
        }
        case "retry_failed_downloads":
          current = { ...current, waiting: current.waiting + current.failed, failed: 0 };
          return current;
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
  return calls;
}

function show() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <DownloadQueue />
    </QueryClientProvider>,
  );
}

describe("the download queue beside the sync status", () => {
  it("shows n of m and pauses and resumes the backend's queue", async () => {
    const calls = backend(queue({ waiting: 7, done: 3, running: 2 }));
    show();
    expect(await screen.findByTestId("download-queue-progress")).toHaveTextContent("Downloading 3 of 10");
    await userEvent.click(screen.getByRole("button", { name: "Pause" }));
    expect(calls).toContainEqual({ cmd: "pause_downloads", args: { paused: true } });
    expect(await screen.findByTestId("download-queue-progress")).toHaveTextContent("Downloads paused 3 of 10");
    await userEvent.click(screen.getByRole("button", { name: "Resume" }));
    expect(calls).toContainEqual({ cmd: "pause_downloads", args: { paused: false } });
    expect(await screen.findByRole("button", { name: "Pause" })).toBeInTheDocument();
  });

  it("moves with the backend's events and disappears when the queue is done", async () => {
    backend(queue({ waiting: 2, done: 0 }));
    show();
    expect(await screen.findByTestId("download-queue-progress")).toHaveTextContent("Downloading 0 of 2");
    // Sent again until heard: the window subscribes to events asynchronously.
    const told = (status: QueueStatus) => act(() => emit("download-queue-changed", { status }));
    await waitFor(async () => {
      await told(queue({ waiting: 1, done: 1 }));
      expect(screen.getByTestId("download-queue-progress")).toHaveTextContent("Downloading 1 of 2");
    });
    await told(queue({ done: 2 }));
    await waitFor(() => expect(screen.queryByTestId("download-queue")).not.toBeInTheDocument());
  });

  it("offers Retry failed only when some downloads failed", async () => {
    const calls = backend(queue({ failed: 2, done: 5 }));
    show();
    expect(await screen.findByTestId("download-queue-failed")).toHaveTextContent("2 failed");
    expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry failed" }));
    expect(calls.map((c) => c.cmd)).toContain("retry_failed_downloads");
    expect(await screen.findByTestId("download-queue-progress")).toHaveTextContent("Downloading 5 of 7");
    expect(screen.queryByRole("button", { name: "Retry failed" })).not.toBeInTheDocument();
  });

  it("shows nothing for an empty queue", async () => {
    const calls = backend(queue({ done: 4 }));
    show();
    await waitFor(() => expect(calls.map((c) => c.cmd)).toContain("download_queue_status"));
    expect(screen.queryByTestId("download-queue")).not.toBeInTheDocument();
  });
});
