// Lint: ESLint's and typescript-eslint's recommended rules over the project's TypeScript.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist", "dist.*/", "content/", "bench/results/", "test/output/", "_includes/assets/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["scripts/types/**/*.d.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
