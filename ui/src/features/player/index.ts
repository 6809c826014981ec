// The native player: its bar, and what other views may ask of it.
export { PlayerBar } from "./PlayerBar";
export { play, playFrom } from "./actions";
export { usePlayerSelect, type PlayerSnapshot } from "./store";
