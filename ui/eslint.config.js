import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";

const SRC = fileURLToPath(new URL("./src", import.meta.url));

/** Where under src/ a path lies, as its folders: ["features", "library", "api"]. */
function partsOf(file) {
  const rel = path.relative(SRC, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? null : rel.split(path.sep);
}

/**
 * The UI's folders and who may import whom (README, "The UI's folders"):
 * - a feature (src/features/<name>/) is imported from outside itself only through its
 *   public entry, src/features/<name>/index.ts — never a file inside it;
 * - the shared folders (src/lib/, src/components/) import no feature and not src/app/;
 * - a feature does not import src/app/ (the app composes the features, not the reverse).
 */
const featureBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "Features meet only through their index.ts; shared code depends on no feature." },
    messages: {
      internal:
        "'{{spec}}' reaches into the {{feature}} feature's internals: import from its public entry ('features/{{feature}}') instead.",
      upward: "'{{spec}}' makes shared code ({{from}}/) depend on {{to}}/: shared code must not import features or the app.",
      app: "'{{spec}}': a feature does not import the app (src/app/); the app composes the features.",
    },
    schema: [],
  },
  create(context) {
    const from = partsOf(context.filename);
    if (!from) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const to = partsOf(path.resolve(path.dirname(context.filename), spec));
      if (!to) return;
      const report = (messageId, data) => context.report({ node: node.source, messageId, data: { spec, ...data } });
      if ((from[0] === "lib" || from[0] === "components") && (to[0] === "features" || to[0] === "app")) {
        return report("upward", { from: from[0], to: to[0] });
      }
      if (from[0] === "features" && to[0] === "app") return report("app");
      const intoFeature = to[0] === "features" && to.length > 2;
      const fromOutside = !(from[0] === "features" && from[1] === to[1]);
      if (intoFeature && fromOutside && !(to.length === 3 && /^index(\.tsx?)?$/.test(to[2]))) {
        report("internal", { feature: to[1] });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/bindings.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks, calldeck: { rules: { "feature-boundaries": featureBoundaries } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "calldeck/feature-boundaries": "error",
    },
  },
);
