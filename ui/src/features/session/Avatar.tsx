import { useState } from "react";

import { initials } from "./initials";

type Props = { name: string; picture?: string | null };

/** Smaller than this is a spacer or a placeholder pixel, not someone's picture. */
const MIN_PICTURE_PX = 8;

/**
 * The account's picture, or a circle with its initials: the initials until the picture has
 * loaded, and instead of one that fails or is a placeholder, so no account ever shows a blank
 * circle. Decorative: the name is always said next to it.
 */
export function Avatar({ name, picture }: Props) {
  // Keyed by the picture itself: another picture starts out loading again.
  const [state, setState] = useState<{ picture: string; shown: "loading" | "yes" | "no" } | null>(null);
  const shown = picture ? (state?.picture === picture ? state.shown : "loading") : "no";
  const initialsCircle = (
    <span className="avatar" aria-hidden="true">
      {initials(name)}
    </span>
  );
  if (!picture || shown === "no") return initialsCircle;
  const image = (
    <img
      className="avatar"
      src={picture}
      alt=""
      width={28}
      height={28}
      hidden={shown === "loading"}
      onLoad={(e) => {
        const { naturalWidth, naturalHeight } = e.currentTarget;
        const real = naturalWidth >= MIN_PICTURE_PX && naturalHeight >= MIN_PICTURE_PX;
        setState({ picture, shown: real ? "yes" : "no" });
      }}
      onError={() => setState({ picture, shown: "no" })}
    />
  );
  // One shape of tree in both states, so the loaded image is not mounted (and fetched) anew.
  return (
    <>
      {shown === "loading" && initialsCircle}
      {image}
    </>
  );
}
