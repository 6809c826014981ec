import { AiSettingsSection } from "../features/ai/AiSettingsSection";
import { TwilioSettings } from "../features/sync/TwilioSettings";
import { AboutSection } from "./AboutSection";

/** Settings: Twilio, then Transcripts & AI, then About, on one scrolling page. */
export function SettingsView() {
  return (
    <div className="settings-view">
      <TwilioSettings />
      <AiSettingsSection />
      <AboutSection />
    </div>
  );
}
