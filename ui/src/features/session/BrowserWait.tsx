type Props = { onCancel: () => void };

/** While the system browser has the sign-in: the app can only wait, or give up. */
export function BrowserWait({ onCancel }: Props) {
  return (
    <div className="browser-wait" data-testid="sign-in-pending">
      <p role="status">
        <span className="session-spinner" aria-hidden="true" /> Finish signing in in your browser…
      </p>
      <button type="button" onClick={onCancel} data-testid="cancel-sign-in">
        Cancel
      </button>
    </div>
  );
}
