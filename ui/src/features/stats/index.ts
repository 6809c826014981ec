// The stats view, and the categories in use (from the same figures).
export { StatsView } from "./StatsView";
export { statsQuery, useCategories, useStats } from "./api";

