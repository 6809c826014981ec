import "./dialog.css";

import { useEffect, useRef, type ReactNode } from "react";

type Props = {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** A modal question with one way forward and one way back (Escape cancels). */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, onConfirm, onCancel }: Props) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <Modal label={title} onClose={onCancel}>
      <h2>{title}</h2>
      {children}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} data-testid="cancel-button">
          Cancel
        </button>
        <button
          type="button"
          ref={confirmRef}
          className={danger ? "danger" : "primary"}
          disabled={busy}
          onClick={onConfirm}
          data-testid="confirm-button"
        >
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

type ModalProps = { label: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean };

export function Modal({ label, onClose, children, testId, wide }: ModalProps) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={wide ? "dialog wide" : "dialog"} role="dialog" aria-modal="true" aria-label={label} data-testid={testId}>
        {children}
      </div>
    </div>
  );
}
