import { describe, expect, it } from "vitest";

import { callbackUrlsFor, formFrom, parsePorts, settingsFrom } from "./authForm";
import { initials } from "./initials";

const DEFAULT_URLS = ["http://127.0.0.1:47613/callback", "http://127.0.0.1:47614/callback"];

describe("setup form", () => {
  it("reads comma-separated ports, empty meaning the defaults", () => {
    expect(parsePorts("50001, 50002,50001")).toEqual([50001, 50002]);
    expect(parsePorts("  ")).toEqual([]);
    expect(parsePorts("80")).toBeNull();
    expect(parsePorts("50001, x")).toBeNull();
    expect(parsePorts("70000")).toBeNull();
  });

  it("shows the callback URLs for the ports typed, shaped like the backend's", () => {
    expect(callbackUrlsFor("50001", DEFAULT_URLS)).toEqual(["http://127.0.0.1:50001/callback"]);
    expect(callbackUrlsFor("", DEFAULT_URLS)).toEqual(DEFAULT_URLS);
    expect(callbackUrlsFor("oops", DEFAULT_URLS)).toEqual(DEFAULT_URLS);
  });

  it("turns the form into settings, trimmed, with blanks as defaults", () => {
    const form = { ...formFrom(null), domain: " acme.auth0.com ", clientId: "abc ", offlineDays: "" };
    expect(settingsFrom(form)).toEqual({
      settings: { domain: "acme.auth0.com", clientId: "abc", audience: null, callbackPorts: [], offlineDays: null },
    });
  });

  it("says what to fix first", () => {
    const form = { ...formFrom(null), domain: "acme.auth0.com", clientId: "abc" };
    expect(settingsFrom({ ...form, domain: "" })).toEqual({ error: expect.stringContaining("Auth0 domain") });
    expect(settingsFrom({ ...form, offlineDays: "400" })).toEqual({ error: expect.stringContaining("0 to 14") });
    expect(settingsFrom({ ...form, offlineDays: "15" })).toEqual({ error: expect.stringContaining("administrator") });
  });

  it("starts from the saved settings, or two weeks offline", () => {
    expect(formFrom(null).offlineDays).toBe("14");
    expect(formFrom({ domain: "d", clientId: "c", callbackPorts: [50001, 50002], offlineDays: 3 })).toMatchObject({
      ports: "50001, 50002",
      offlineDays: "3",
    });
  });
});

describe("initials", () => {
  it("takes the first and last name's first letters", () => {
    expect(initials("Ana Lee")).toBe("AL");
    expect(initials("ana maria de la cruz")).toBe("AC");
    expect(initials("ana.lee@example.com")).toBe("AL");
    expect(initials("Ben")).toBe("B");
    expect(initials("  ")).toBe("?");
  });
});
