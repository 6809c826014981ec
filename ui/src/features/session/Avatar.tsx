import { initials } from "./initials";

type Props = { name: string; picture?: string | null };

/** The account's picture, or a circle with its initials. Decorative: the name is always said next to it. */
export function Avatar({ name, picture }: Props) {
  if (picture) return <img className="avatar" src={picture} alt="" width={28} height={28} />;
  return (
    <span className="avatar" aria-hidden="true">
      {initials(name)}
    </span>
  );
}
