import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { commands, DEFAULT_USER_PREFS } from "../bindings";
import { backend } from "../test/backend";
import { DEMO_USER } from "../test/session";
import { defaultUserPrefs, ensurePrefsFor, flushPrefs, getPrefs, getPrefsSnapshot, loadPrefs, setPref, updatePrefs } from "./prefs";

describe("preferences", () => {
  it("starts from the defaults generated from Rust, each a fresh copy", () => {
    const a = defaultUserPrefs();
    expect(a).toEqual(DEFAULT_USER_PREFS);
    a.hiddenColumns.push("status");
    expect(defaultUserPrefs().hiddenColumns, "changing one copy never changes the defaults").toEqual([]);
  });

  it("reads the signed-in person's and shows their theme on the root element", async () => {
    backend({ signedIn: true, prefs: { [DEMO_USER.accountKey]: { theme: "dark", speedPercent: 150 } } });
    await loadPrefs();
    expect(getPrefs().speedPercent).toBe(150);
    expect(getPrefsSnapshot().accountKey).toBe(DEMO_USER.accountKey);
    expect(document.documentElement.dataset.theme).toBe("dark");
    setPref("theme", "system");
    expect(document.documentElement.dataset.theme, "System removes the attribute: the media query decides").toBeUndefined();
    setPref("theme", "light");
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("before sign-in, shows the computer's theme and holds the defaults", async () => {
    backend({ appPrefs: { theme: "dark" } });
    await loadPrefs();
    expect(getPrefsSnapshot().accountKey).toBeNull();
    expect(getPrefs()).toEqual(DEFAULT_USER_PREFS);
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("saves a burst of changes once, soon after the last, with the reading's token", async () => {
    const { callsOf, prefsOf } = backend({ signedIn: true });
    await loadPrefs();
    setPref("volumePercent", 30);
    setPref("volumePercent", 50);
    updatePrefs({ sortBy: "duration", sortOrder: "asc" });
    expect(callsOf("save_preferences"), "nothing is written while changes keep coming").toHaveLength(0);
    await waitFor(() => expect(callsOf("save_preferences")).toHaveLength(1));
    expect(callsOf("save_preferences")[0]?.args.token).toBe(`token-${DEMO_USER.accountKey}`);
    expect(prefsOf(DEMO_USER.accountKey)).toMatchObject({ volumePercent: 50, sortBy: "duration", sortOrder: "asc" });
  });

  it("does not save what did not change", async () => {
    const { callsOf } = backend({ signedIn: true });
    await loadPrefs();
    setPref("speedPercent", getPrefs().speedPercent);
    await flushPrefs();
    expect(callsOf("save_preferences")).toHaveLength(0);
  });

  it("flushes a waiting change at once, and a refused save leaves the window working", async () => {
    const { callsOf, prefsOf } = backend({ signedIn: true });
    await loadPrefs();
    setPref("density", "compact");
    await flushPrefs();
    expect(callsOf("save_preferences")).toHaveLength(1);
    expect(prefsOf(DEMO_USER.accountKey).density).toBe("compact");

    backend({ signedIn: false });
    setPref("density", "comfortable");
    await expect(flushPrefs(), "a save for someone no longer signed in is refused quietly").resolves.toBeUndefined();
    expect(getPrefs().density, "the window keeps what is on screen").toBe("comfortable");
  });
});

describe("preferences across a switch", () => {
  it("a reading under way for the person before a switch is not taken for the next one's", async () => {
    const alice = { key: "alice-key", name: "Alice" };
    const bob = { key: "bob-key", name: "Bob" };
    backend({ accounts: [alice, bob], signedInAs: alice.key, prefs: { [bob.key]: { theme: "dark" } } });
    const underWay = loadPrefs(); // started for Alice (as at start, or before a switch)
    await commands.switchAccount(bob.key);
    await ensurePrefsFor(bob.key);
    await underWay;
    expect(getPrefsSnapshot().accountKey).toBe(bob.key);
    expect(getPrefs().theme, "Bob's own").toBe("dark");
  });
});
