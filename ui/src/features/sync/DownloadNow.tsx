import { useDownloadNow } from "./api";
import { errorMessage } from "../../lib/errors";

/** "Download now" for a recording whose audio is not on this computer yet. */
export function DownloadNow({ id }: { id: string }) {
  const download = useDownloadNow();
  return (
    <>
      {" · "}
      <button
        type="button"
        className="link-button"
        data-testid="download-now"
        disabled={download.isPending}
        onClick={() => download.mutate(id)}
      >
        {download.isPending ? "Downloading…" : "Download now"}
      </button>
      {download.isError && (
        <span role="alert" className="error-text small">
          {" "}
          {errorMessage(download.error)}
        </span>
      )}
    </>
  );
}
