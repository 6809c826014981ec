import { AiSettingsSection } from "../features/ai/AiSettingsSection";
import { TwilioSettings } from "../features/sync/TwilioSettings";

/** Settings: Twilio, then Transcripts & AI, on one scrolling page. */
export function SettingsView() {
  return (
    <div className="settings-view">
      <TwilioSettings />
      <AiSettingsSection />
    </div>
  );
}
