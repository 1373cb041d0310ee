/**
 * The first line of the function's bundle: ESM output has no `require`, and some CommonJS dependencies still
 * call it. One definition for the construct's NodejsFunction bundling and for the benchmark's esbuild
 * build (bench/bundle.ts), so the benchmark measures the bundle that is deployed.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
