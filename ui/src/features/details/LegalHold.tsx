import { useSetLegalHold } from "../library";
import { useToast } from "../../components/toast";

type Props = { id: string; held: boolean };

export function LegalHold({ id, held }: Props) {
  const toast = useToast();
  const hold = useSetLegalHold();
  return (
    <div className={held ? "hold on" : "hold"}>
      <label>
        <input
          type="checkbox"
          checked={held}
          disabled={hold.isPending}
          data-testid="legal-hold-toggle"
          onChange={(e) =>
            hold.mutate(
              { id, held: e.target.checked },
              {
                onSuccess: (_, vars) => toast.show(vars.held ? "Legal hold placed" : "Legal hold removed"),
                onError: (error) => toast.error(error),
              },
            )
          }
        />{" "}
        <strong>Legal hold</strong>
      </label>
      <p className="muted small">
        A recording on hold cannot be deleted, bulk-deleted or removed by a cleanup until the hold is lifted.
      </p>
    </div>
  );
}
