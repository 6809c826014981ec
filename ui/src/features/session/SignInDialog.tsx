import { Modal } from "../../components/ConfirmDialog";
import { describeError } from "../../lib/command";
import { BrowserWait } from "./BrowserWait";

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
            {describeError(error)}
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
