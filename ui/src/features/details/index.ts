// One recording's details panel.
export { DetailsPanel } from "./DetailsPanel";
