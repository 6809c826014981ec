import { useState } from "react";

import type { BulkAction } from "../../bindings";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useToast } from "../../components/toast";
import { useBulkUpdate, useExportRecordings } from "./api";
import { exportMessage } from "./exportText";

const DONE: Record<BulkAction, string> = {
  star: "Starred",
  unstar: "Unstarred",
  archive: "Archived",
  unarchive: "Unarchived",
  delete: "Deleted",
};

const plural = (n: number) => `${n} ${n === 1 ? "recording" : "recordings"}`;

type Props = { ids: string[]; onClear: () => void };

export function BulkBar({ ids, onClear }: Props) {
  const toast = useToast();
  const bulk = useBulkUpdate();
  const exporter = useExportRecordings();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = bulk.isPending || exporter.isPending;

  const run = (action: BulkAction) => {
    bulk.mutate(
      { action, ids },
      {
        onSuccess: (result) => {
          toast.show(`${DONE[action]} ${plural(result.changed)}`);
          if (action === "delete" || action === "archive" || action === "unarchive") onClear();
        },
        onError: (error) => toast.error(error),
        onSettled: () => setConfirmDelete(false),
      },
    );
  };

  const exportAll = () =>
    exporter.mutate(ids, {
      onSuccess: (result) => {
        const message = exportMessage(result);
        if (message) toast.show(message.text, message.kind);
      },
      onError: (error) => toast.error(error),
    });

  return (
    <div className="bulk-bar" data-testid="bulk-bar" role="toolbar" aria-label="Bulk actions">
      <strong data-testid="bulk-count">{ids.length} selected</strong>
      <button type="button" disabled={busy} onClick={() => run("star")} data-testid="bulk-star">
        ★ Star
      </button>
      <button type="button" disabled={busy} onClick={() => run("unstar")} data-testid="bulk-unstar">
        ☆ Unstar
      </button>
      <button type="button" disabled={busy} onClick={() => run("archive")} data-testid="bulk-archive">
        Archive
      </button>
      <button type="button" disabled={busy} onClick={() => run("unarchive")} data-testid="bulk-unarchive">
        Unarchive
      </button>
      <button type="button" disabled={busy} onClick={exportAll} data-testid="bulk-export">
        Export…
      </button>
      <button type="button" className="danger-text" disabled={busy} onClick={() => setConfirmDelete(true)} data-testid="bulk-delete">
        Delete…
      </button>
      <span className="spacer" />
      <button type="button" className="link" onClick={onClear} data-testid="bulk-clear">
        Clear
      </button>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${plural(ids.length)}?`}
          confirmLabel="Delete"
          danger
          busy={bulk.isPending}
          onConfirm={() => run("delete")}
          onCancel={() => setConfirmDelete(false)}
        >
          <p>The audio files on this computer and the records are removed. A later sync will not bring them back.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
