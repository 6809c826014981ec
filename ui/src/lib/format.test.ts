import { describe, expect, it } from "vitest";

import { formatBytes, formatDuration, formatPhone, parsePosition, PHONE_CACHE_LIMIT, phoneCacheSize } from "./format";

describe("formatDuration", () => {
  it("shows minutes and zero-padded seconds, and hours past an hour", () => {
    expect(formatDuration(5)).toBe("0:05");
    expect(formatDuration(252)).toBe("4:12");
    expect(formatDuration(3723)).toBe("1:02:03");
  });
});

describe("formatPhone", () => {
  it("answers a number it formatted before the same way, and keeps no more than its limit", () => {
    expect(formatPhone("+12025550143")).toBe(formatPhone("+12025550143"));
    for (let i = 0; i < PHONE_CACHE_LIMIT + 10; i++) formatPhone(`+1202555${String(i).padStart(4, "0")}`);
    expect(phoneCacheSize()).toBeLessThanOrEqual(PHONE_CACHE_LIMIT);
    expect(formatPhone("+12025550143")).toBe("+1 202 555 0143");
    expect(formatPhone("not a number")).toBe("not a number");
  });

  it("groups North American numbers the way people read them", () => {
    expect(formatPhone("+12025550143")).toBe("+1 202 555 0143");
  });
  it("groups other countries by their own rules", () => {
    expect(formatPhone("+442079460958")).toBe("+44 20 7946 0958");
  });
  it("leaves anything that is not E.164 untouched", () => {
    expect(formatPhone("anonymous")).toBe("anonymous");
  });
});

describe("formatBytes", () => {
  it("picks a readable unit", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(480_000)).toBe("469 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});

describe("parsePosition", () => {
  it("reads m:ss, h:mm:ss and plain seconds", () => {
    expect(parsePosition("0:42")).toBe(42_000);
    expect(parsePosition("1:05")).toBe(65_000);
    expect(parsePosition("1:02:03")).toBe(3_723_000);
    expect(parsePosition("75")).toBe(75_000);
  });
  it("refuses what is not a position", () => {
    expect(parsePosition("1:75")).toBeNull();
    expect(parsePosition("abc")).toBeNull();
    expect(parsePosition("")).toBeNull();
  });
});
