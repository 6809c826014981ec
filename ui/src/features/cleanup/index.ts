// The clean-up dialog (preview, then act).
export { CleanupDialog } from "./CleanupDialog";
