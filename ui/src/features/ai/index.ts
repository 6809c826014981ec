// The AI analysis service's settings (the analysis itself is the `analysis` feature).
export { AiSettingsSection } from "./AiSettingsSection";
