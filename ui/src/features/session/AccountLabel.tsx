import type { AccountSummary } from "../../bindings";
import { Avatar } from "./Avatar";

type Props = { name: string; picture: string | null; detail: string | null; detailId?: string };

/** Avatar, name and a second line. The name is the control's accessible name; the line describes it. */
export function AccountLabel({ name, picture, detail, detailId }: Props) {
  return (
    <>
      <Avatar name={name} picture={picture} />
      <span className="account-text">
        <span className="account-name">{name}</span>{" "}
        {detail && (
          <span className="account-detail" id={detailId}>
            {detail}
          </span>
        )}
      </span>
    </>
  );
}

/** The second line for a known account: its email, and whether it must go through the browser again. */
export function accountDetail(account: AccountSummary): string | null {
  const parts = [account.email, account.hasSession ? null : "signed out"].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : null;
}
