import { useId, type ComponentProps, type KeyboardEvent, type RefObject } from "react";

import type { AccountSummary } from "../../bindings";
import { accountDetail, AccountLabel, unreachable } from "./AccountLabel";

type Props = {
  id: string;
  /** The menu button's id: the menu is named by it. */
  labelledBy: string;
  menuRef: RefObject<HTMLDivElement | null>;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Accounts of this device other than the signed-in one. */
  others: AccountSummary[];
  onSwitch: (key: string) => void;
  onAdd: () => void;
  onSignOut: () => void;
  onRemoveData: () => void;
};

/** Out of the Tab order: the menu moves focus between its items with the arrow keys. */
function MenuItem({ className, ...props }: ComponentProps<"button">) {
  return (
    <button type="button" role="menuitem" tabIndex={-1} className={`account-menu-item ${className ?? ""}`} {...props} />
  );
}

export function AccountMenuItems(props: Props) {
  const { id, labelledBy, menuRef, onKeyDown, others, onSwitch, onAdd, onSignOut, onRemoveData } = props;
  const describe = useId();
  return (
    <div
      ref={menuRef}
      id={id}
      role="menu"
      aria-labelledby={labelledBy}
      className="account-menu"
      data-testid="account-menu"
      onKeyDown={onKeyDown}
    >
      {others.length > 0 && (
        <div role="group" aria-label="Switch account">
          {others.map((a) => {
            const detail = accountDetail(a);
            const detailId = `${describe}-${a.key}`;
            return (
              <MenuItem
                key={a.key}
                className="account-choice"
                aria-label={a.name}
                aria-describedby={detail ? detailId : undefined}
                data-testid="switch-account"
                disabled={unreachable(a)}
                onClick={() => onSwitch(a.key)}
              >
                <AccountLabel name={a.name} picture={a.avatar} detail={detail} detailId={detailId} />
              </MenuItem>
            );
          })}
        </div>
      )}
      <MenuItem data-testid="add-account" onClick={onAdd}>
        Add account
      </MenuItem>
      <div role="separator" className="account-menu-separator" />
      <MenuItem data-testid="sign-out" onClick={onSignOut}>
        Sign out
      </MenuItem>
      <MenuItem className="danger-text" data-testid="remove-data" onClick={onRemoveData}>
        Remove my data from this device
      </MenuItem>
    </div>
  );
}
