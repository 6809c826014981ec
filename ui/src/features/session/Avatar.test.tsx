import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { Avatar } from "./Avatar";

const PICTURE = "data:image/png;base64,iVBORw0KGgo=";

/** The picture element, whatever its accessible role (it is decorative). */
const img = (container: HTMLElement) => container.querySelector("img");

/** Says the image finished loading at the given natural size. */
function load(image: HTMLImageElement, size: number) {
  Object.defineProperty(image, "naturalWidth", { configurable: true, value: size });
  Object.defineProperty(image, "naturalHeight", { configurable: true, value: size });
  fireEvent.load(image);
}

describe("avatar", () => {
  it("shows initials when the account has no picture", () => {
    render(<Avatar name="Ana Lee" picture={null} />);
    expect(screen.getByText("AL")).toBeVisible();
  });

  it("shows initials, not a blank circle, until the picture has loaded", () => {
    const { container } = render(<Avatar name="Ana Lee" picture={PICTURE} />);
    expect(screen.getByText("AL"), "initials while the picture loads").toBeVisible();
    expect(img(container), "the picture waits out of sight").not.toBeVisible();
  });

  it("keeps the initials when the picture cannot be shown", () => {
    const { container } = render(<Avatar name="Ana Lee" picture={PICTURE} />);
    fireEvent.error(img(container) as HTMLImageElement);
    expect(screen.getByText("AL")).toBeVisible();
    expect(img(container)).toBeNull();
  });

  it("keeps the initials for a placeholder pixel instead of a picture", () => {
    const { container } = render(<Avatar name="Bob Example" picture={PICTURE} />);
    load(img(container) as HTMLImageElement, 1);
    expect(screen.getByText("BE")).toBeVisible();
    expect(img(container)).toBeNull();
  });

  it("shows a real picture once it has loaded", () => {
    const { container } = render(<Avatar name="Ana Lee" picture={PICTURE} />);
    load(img(container) as HTMLImageElement, 96);
    expect(img(container)).toBeVisible();
    expect(screen.queryByText("AL")).toBeNull();
  });
});
