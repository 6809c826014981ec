import { Modal } from "../../components/ConfirmDialog";
import { BrowserWait } from "./BrowserWait";
import { errorMessage } from "../../lib/errors";

type Props = { waiting: boolean; error: unknown; onCancel: () => void; onClose: () => void };

/** A sign-in started from the account menu: the wait for the browser, or why it failed. */
export function SignInDialog({ waiting, error, onCancel, onClose }: Props) {
  return (
    <Modal label="Sign in" onClose={waiting ? onCancel : onClose} testId="sign-in-dialog">
      <h2>Sign in</h2>
      {waiting ? (
        <BrowserWait onCancel={onCancel} />
      ) : (
        <>
          <p role="alert" className="session-alert error">
            {errorMessage(error)}
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
