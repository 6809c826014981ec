import { AiSettingsSection } from "../features/ai/AiSettingsSection";
import { TwilioSettings } from "../features/sync/TwilioSettings";
import { AppearanceSettings } from "./AppearanceSettings";

/** Settings: Appearance, Twilio, then Transcripts & AI, on one scrolling page. */
export function SettingsView() {
  return (
    <div className="settings-view">
      <AppearanceSettings />
      <TwilioSettings />
      <AiSettingsSection />
    </div>
  );
}
