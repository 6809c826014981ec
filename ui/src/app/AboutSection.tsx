import "./about.css";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { commands } from "../bindings";
import { unwrap } from "../lib/command";
import { errorMessage } from "../lib/errors";

/** Settings → About: the version, where the logs are, and diagnostics for a support ticket. */
export function AboutSection() {
  // Gathered afresh each time Settings opens: the last problems change as CallDeck runs.
  const diagnostics = useQuery({
    queryKey: ["diagnostics"],
    queryFn: () => unwrap(commands.diagnostics()),
    staleTime: 0,
  });
  const openFolder = useMutation({ mutationFn: () => unwrap(commands.openLogFolder()) });
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const data = diagnostics.data;

  const copy = async (report: string) => {
    setCopied(null);
    try {
      await navigator.clipboard.writeText(report);
      setCopied("copied");
    } catch {
      // No clipboard access: the text is shown below to be selected by hand.
      setCopied("failed");
    }
  };

  return (
    <div className="settings" data-testid="about-settings">
      <h2>About</h2>
      {diagnostics.isError && <p role="alert" className="error-text">{errorMessage(diagnostics.error)}</p>}
      {data && (
        <>
          <p data-testid="about-version">CallDeck {data.appVersion}</p>
          <p>
            Log files: <code data-testid="about-log-folder">{data.logFolder}</code>{" "}
            <button type="button" data-testid="about-open-logs" onClick={() => openFolder.mutate()} disabled={openFolder.isPending}>
              Open
            </button>
          </p>
          {openFolder.isError && <p role="alert" className="error-text">{errorMessage(openFolder.error)}</p>}
          <p className="muted">
            Diagnostics hold the versions, the system, how much data CallDeck keeps for you and its last errors, for a
            support ticket. They never hold a password, a token or a full phone number.
          </p>
          <button type="button" data-testid="about-copy-diagnostics" onClick={() => void copy(data.report)}>
            Copy diagnostics
          </button>
          <span role="status" data-testid="about-copied">
            {copied === "copied" && " Copied to the clipboard."}
            {copied === "failed" && " Could not reach the clipboard: select the text below and copy it."}
          </span>
          <details open={copied === "failed"}>
            <summary>Show diagnostics</summary>
            <pre data-testid="about-report" className="about-report">
              {data.report}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}
