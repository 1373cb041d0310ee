/**
 * The first line of the function's bundle: ESM output has no `require`, and some CommonJS dependencies still
 * call it. Part of the bundle options (function-bundle.ts) that the package build and the benchmark share.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
