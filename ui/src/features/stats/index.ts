// The stats view, and the categories in use (from the same figures).
export { StatsView } from "./StatsView";
export { useCategories, useStats } from "./api";

