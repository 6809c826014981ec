// The audit view.
export { AuditView } from "./AuditView";
export { useAuditLog } from "./api";
