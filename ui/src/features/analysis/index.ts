// A recording's audio and AI analysis, shown in its details.
export { AnalysisPanel } from "./AnalysisPanel";
