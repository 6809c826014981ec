import { describe, expect, it } from "vitest";

import { CommandError } from "./command";
import { errorMessage, SCREEN_WORDING, UNEXPECTED } from "./errors";

const held = new CommandError({
  code: "legal_hold",
  message: "This recording is on legal hold, so it cannot be deleted. Lift the hold first.",
});

describe("errorMessage", () => {
  it("shows the sentence the core sent", () => {
    expect(errorMessage(held)).toBe("This recording is on legal hold, so it cannot be deleted. Lift the hold first.");
  });

  it("uses a screen's own wording for its code, and the core's for every other code", () => {
    const overrides = { legal_hold: "Held." };
    expect(errorMessage(held, overrides)).toBe("Held.");
    const missing = new CommandError({ code: "not_found", message: "That recording could not be found." });
    expect(errorMessage(missing, overrides), "no wording for not_found here").toBe("That recording could not be found.");
  });

  it("reads an error as the backend sends it in an event or a state (not thrown by a command)", () => {
    const offline = { code: "not_available_offline" as const, message: "This recording is not available offline." };
    expect(errorMessage(offline)).toBe("This recording is not available offline.");
    expect(errorMessage(offline, SCREEN_WORDING.player), "the player's short line").toBe(
      "Not available offline — download it first",
    );
  });

  it("never shows what something other than the core threw", () => {
    const leak = new Error("SQLITE_BUSY at /home/ana/.local/share/calldeck/library.db");
    expect(errorMessage(leak)).toBe(UNEXPECTED);
    expect(errorMessage("a string")).toBe(UNEXPECTED);
    expect(errorMessage(null)).toBe(UNEXPECTED);
    expect(errorMessage({ code: 42, message: "not an ApiError" }), "a look-alike with a number for a code").toBe(UNEXPECTED);
  });

  it("has a sentence even when the core sent none (the player's own finding of no device)", () => {
    const noDevice = { code: "no_audio_device" as const, message: "" };
    expect(errorMessage(noDevice)).toBe(UNEXPECTED);
    expect(errorMessage(noDevice, SCREEN_WORDING.player)).toBe("No audio output device found; playback runs silently");
  });
});
