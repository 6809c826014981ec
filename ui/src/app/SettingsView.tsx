import { AiSettingsSection } from "../features/ai";
import { TwilioSettings } from "../features/sync";
import { AboutSection } from "./AboutSection";
import { AppearanceSettings } from "./AppearanceSettings";

/** Settings: Appearance, Twilio, Transcripts & AI, then About, on one scrolling page. */
export function SettingsView() {
  return (
    <div className="settings-view">
      <AppearanceSettings />
      <TwilioSettings />
      <AiSettingsSection />
      <AboutSection />
    </div>
  );
}
