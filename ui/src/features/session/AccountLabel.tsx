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

/** Where the account stands, when it is not simply a click away. */
function standing(account: AccountSummary): string | null {
  switch (account.status) {
    case "other_provider":
      return `signed in with another provider${account.providerHost ? ` (${account.providerHost})` : ""}`;
    case "signed_out":
      return "signed out";
    default:
      return null;
  }
}

/** The second line for a known account: its email, and whether it must go through the browser again. */
export function accountDetail(account: AccountSummary): string | null {
  const parts = [account.email, standing(account)].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/**
 * An account of another sign-in provider cannot open until the settings name that provider
 * again: nothing of it is sent to the one set up now, so its button does nothing and says why.
 */
export const unreachable = (account: AccountSummary) => account.status === "other_provider";
