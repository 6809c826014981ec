// The library view, the state of its controls, and the recordings' queries and changes
// (which the details panel and the player use too).
export { LibraryView } from "./LibraryView";
export {
  hasFilters,
  initialQuery,
  listParamsOf,
  nextSort,
  prefsFromQuery,
  queryFromPrefs,
  toFilter,
  type LibraryQuery,
  type Scope,
} from "./query";
export {
  type ListParams,
  useDeleteRecording,
  useExportRecordings,
  recordingSlicesQuery,
  useRecording,
  useRecordingSlices,
  useSetLegalHold,
  useUpdateRecording,
} from "./api";
export { exportMessage } from "./exportText";
