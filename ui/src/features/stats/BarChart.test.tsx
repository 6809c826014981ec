import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { BarChart } from "./BarChart";

describe("bar chart", () => {
  it("says its figures to a screen reader, not only its title", () => {
    render(
      <BarChart
        title="By status"
        bars={[
          { label: "ready", value: 1200, tone: "ready" },
          { label: "error", value: 3, tone: "error" },
        ]}
      />,
    );
    expect(screen.getByRole("img")).toHaveAccessibleName("By status: ready 1,200, error 3");
  });
});
