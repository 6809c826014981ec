import { useId } from "react";

import { useAccounts } from "./api";
import { accountDetail, AccountLabel, unreachable } from "./AccountLabel";

type Props = { disabled: boolean; onPick: (key: string) => void };

/** Accounts that signed in on this device before: one click back in while their session lasts. */
export function KnownAccounts({ disabled, onPick }: Props) {
  const id = useId();
  const accounts = useAccounts();
  const list = accounts.data ?? [];
  if (list.length === 0) return null;
  return (
    <section className="known-accounts" aria-labelledby={`${id}-title`} data-testid="known-accounts">
      <h2 id={`${id}-title`}>Accounts on this device</h2>
      <ul>
        {list.map((a) => {
          const detail = accountDetail(a);
          return (
            <li key={a.key}>
              <button
                type="button"
                className="account-choice"
                aria-label={a.name}
                aria-describedby={detail ? `${id}-${a.key}` : undefined}
                data-testid="known-account"
                disabled={disabled || unreachable(a)}
                onClick={() => onPick(a.key)}
              >
                <AccountLabel name={a.name} picture={a.avatar} detail={detail} detailId={`${id}-${a.key}`} />
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
