import "./session.css";

import { useId, useState } from "react";

import type { SignedInUser } from "../../bindings";
import { useToast } from "../../components/toast";
import { useAccounts, useSignOut } from "./api";
import { AccountMenuItems } from "./AccountMenuItems";
import { Avatar } from "./Avatar";
import { RemoveDataDialog } from "./RemoveDataDialog";
import { SignInDialog } from "./SignInDialog";
import { useAccountSignIn } from "./useAccountSignIn";
import { useMenu } from "./useMenu";
import { errorMessage } from "../../lib/errors";

type Props = { user: SignedInUser; offline: boolean };

/**
 * Who is signed in, and the way to another account or out: the foot of the sidebar. The
 * user comes from the shell, never from the cache directly, so this can never name an
 * account other than the one whose workspace is on screen.
 */
export function AccountMenu({ user, offline }: Props) {
  const id = useId();
  const accounts = useAccounts();
  const { open, toggle, dismiss, buttonRef, menuRef, onMenuKeyDown, onButtonKeyDown } = useMenu();
  const account = useAccountSignIn();
  const signOut = useSignOut();
  const toast = useToast();
  const [confirmRemove, setConfirmRemove] = useState(false);

  const list = accounts.data ?? [];
  const others = list.filter((a) => !a.current && a.key !== user.accountKey);
  // The signed-in user's picture comes with the accounts list only.
  const picture = list.find((a) => a.key === user.accountKey)?.avatar ?? null;
  const leave = (removeData: boolean) =>
    signOut.mutate(removeData, { onError: (error) => toast.show(errorMessage(error), "error") });
  const choose = (action: () => void) => {
    dismiss();
    action();
  };

  return (
    <div className="account" data-testid="account">
      {offline && (
        <p className="account-offline small" role="status">
          <span
            className="badge session-offline"
            data-testid="session-offline"
            title="Signed in without reaching the sign-in service: sync and streaming wait until it is back"
          >
            Offline
          </span>
          <span className="muted">Sync waits for the network</span>
        </p>
      )}
      <button
        ref={buttonRef}
        id={`${id}-button`}
        type="button"
        className="account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-busy={account.busy || signOut.isPending}
        data-testid="account-button"
        onClick={toggle}
        onKeyDown={onButtonKeyDown}
      >
        <Avatar name={user.displayName} picture={picture} />
        {/* Named by what it shows, after a word for screen readers: "Account: Ana Lee ana@…". */}
        <span className="visually-hidden">Account: </span>
        <span className="account-text">
          <span className="account-name" data-testid="signed-in-user">
            {user.displayName}
          </span>{" "}
          {/* The demo says so on the second line: as a badge beside the name, one of them was cut. */}
          {user.provider === "demo" ? (
            <span className="account-detail">demo workspace</span>
          ) : (
            user.email && <span className="account-detail">{user.email}</span>
          )}
        </span>
        <span className="account-caret" aria-hidden="true">
          ▴
        </span>
      </button>
      {open && (
        <AccountMenuItems
          id={`${id}-menu`}
          labelledBy={`${id}-button`}
          menuRef={menuRef}
          onKeyDown={onMenuKeyDown}
          others={others}
          onSwitch={(key) => choose(() => account.switchAccount(key))}
          onAdd={() => choose(account.signIn)}
          onSignOut={() => choose(() => leave(false))}
          onRemoveData={() => choose(() => setConfirmRemove(true))}
        />
      )}
      {(account.waitingForBrowser || account.error !== null) && (
        <SignInDialog
          waiting={account.waitingForBrowser}
          error={account.error}
          onCancel={account.cancel}
          onClose={account.reset}
        />
      )}
      {confirmRemove && (
        <RemoveDataDialog
          name={user.displayName}
          busy={signOut.isPending}
          onConfirm={() => leave(true)}
          onCancel={() => setConfirmRemove(false)}
        />
      )}
    </div>
  );
}
