// Twilio: connecting, syncing, the download queue, and the Twilio settings.
export { SyncButton } from "./SyncButton";
export { TwilioSettings } from "./TwilioSettings";
export { DownloadNow } from "./DownloadNow";
export { twilioStatusQuery, useTwilioStatus } from "./api";
