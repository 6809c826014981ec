import { ConfirmDialog } from "../../components/ConfirmDialog";

type Props = { name: string; busy: boolean; onConfirm: () => void; onCancel: () => void };

/** Says exactly what goes before anything does: none of it can be brought back from this device. */
export function RemoveDataDialog({ name, busy, onConfirm, onCancel }: Props) {
  return (
    <ConfirmDialog
      title="Sign out and remove your data?"
      confirmLabel="Sign out and remove data"
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        CallDeck signs out <strong>{name}</strong> and deletes from this device:
      </p>
      <ul className="remove-list" data-testid="remove-data-list">
        <li>your library: every recording&apos;s details, tags and notes</li>
        <li>downloaded audio</li>
        <li>your settings</li>
        <li>the Twilio credentials saved on this device</li>
      </ul>
      <p className="muted small">
        The recordings themselves stay at Twilio and sync back after you sign in again; tags and notes made in
        CallDeck do not.
      </p>
    </ConfirmDialog>
  );
}
