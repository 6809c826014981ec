import type { AuthSettings } from "../../bindings";

/** The setup form as typed: every field a string until it is saved. */
export type AuthForm = { domain: string; clientId: string; audience: string; ports: string; offlineDays: string };

export const DEFAULT_OFFLINE_DAYS = 14;
/** The sign-in screen may shorten offline use, not lengthen it: more is for administrators. */
export const MAX_OFFLINE_DAYS = DEFAULT_OFFLINE_DAYS;

export function formFrom(settings: AuthSettings | null | undefined): AuthForm {
  return {
    domain: settings?.domain ?? "",
    clientId: settings?.clientId ?? "",
    audience: settings?.audience ?? "",
    ports: (settings?.callbackPorts ?? []).join(", "),
    offlineDays: String(settings?.offlineDays ?? DEFAULT_OFFLINE_DAYS),
  };
}

/** "47613, 47614" as ports; empty means the defaults. Null when any part is not a usable port. */
export function parsePorts(text: string): number[] | null {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const ports = parts.map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : NaN));
  // The backend refuses privileged ports too; saying so here saves a round trip.
  if (ports.some((p) => !(p >= 1024 && p <= 65535))) return null;
  return [...new Set(ports)];
}

export type Checked = { settings: AuthSettings } | { error: string };

/** The form as settings to save, or the first thing to fix. The backend checks the rest (the domain's shape). */
export function settingsFrom(form: AuthForm): Checked {
  const domain = form.domain.trim();
  const clientId = form.clientId.trim();
  if (!domain) return { error: "Enter your Auth0 domain, for example your-tenant.eu.auth0.com." };
  if (!clientId) return { error: "Enter the application's client id from Auth0." };
  const callbackPorts = parsePorts(form.ports);
  if (!callbackPorts) return { error: "Enter callback ports as numbers from 1024 to 65535, separated by commas." };
  const daysText = form.offlineDays.trim();
  const offlineDays = daysText === "" ? null : Number(daysText);
  if (offlineDays !== null && !(Number.isInteger(offlineDays) && offlineDays >= 0 && offlineDays <= MAX_OFFLINE_DAYS)) {
    return {
      error: `Offline days must be a whole number from 0 to ${MAX_OFFLINE_DAYS}; only your administrator can allow more.`,
    };
  }
  return { settings: { domain, clientId, audience: form.audience.trim() || null, callbackPorts, offlineDays } };
}

/**
 * The callback URLs for the ports typed, shaped like the backend's own (`template`), so the
 * admin registers what will be used once saved. The backend's list when none are typed.
 */
export function callbackUrlsFor(portsText: string, backendUrls: string[]): string[] {
  const ports = parsePorts(portsText);
  const template = backendUrls[0];
  if (!ports || ports.length === 0 || !template) return backendUrls;
  return ports.map((port) => {
    const url = new URL(template);
    url.port = String(port);
    return url.toString();
  });
}
