import { markStartup, startupMarks } from "./startupTrace";

describe("startup trace", () => {
  it("keeps the first time of each mark, on the page's wall clock, after the load's own moments", () => {
    markStartup("script_start");
    const first = startupMarks().find((m) => m.name === "script_start");
    markStartup("script_start");
    const marks = startupMarks();
    expect(marks.filter((m) => m.name === "script_start")).toEqual([first]);
    expect(marks[0]).toEqual({ name: "navigation_start", epochMs: performance.timeOrigin });
    expect(first!.epochMs).toBeGreaterThanOrEqual(performance.timeOrigin);
    expect(performance.getEntriesByName("calldeck:script_start")).toHaveLength(1);
  });
});
