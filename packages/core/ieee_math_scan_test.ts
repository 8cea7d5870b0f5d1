import assert from "node:assert/strict";
import { join, relative } from "node:path";

// A run's results must not depend on the JavaScript engine: whatever reaches them (initialisation,
// shuffles, training, logged metrics, schedules, optimisers, evaluation) uses only operations
// whose results IEEE 754 fixes, the functions of ieee_math.ts, or the project's wasm kernels.
// This test fails when a call to an engine-dependent function comes back into that code.

const root = new URL("../../", import.meta.url).pathname;

/** Engine-dependent: IEEE 754 does not fix their results (Math.random is not even seeded). */
const FORBIDDEN =
  /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|cos|sin|tan|acos|asin|atan|atan2|cosh|sinh|tanh|acosh|asinh|atanh|cbrt|hypot|random)\b|\*\*/g;

/** The folders whose code computes results (tests and the math module itself excepted). */
const SCANNED = [
  "packages/core",
  "packages/data",
  "packages/analysis",
  "packages/runner",
  "experiments",
];

/**
 * Folders inside the scanned ones that compute no results, each with its reason.
 */
const SKIPPED: readonly { folder: string; reason: string }[] = [
  {
    folder: "packages/analysis/specs",
    reason: "figure scales, ticks and colours of the report: presentation, drawn by Vega " +
      "(which itself computes log scales with Math.*), never part of a run file or table",
  },
];

/** Allowed uses, by file and the exact text found, each with its reason. */
const ALLOWED: readonly { file: string; found: string; reason: string }[] = [
  {
    file: "packages/runner/_provenance.ts",
    found: "**",
    reason: "2 ** 30 converts the machine's memory to GiB for the provenance record",
  },
];

/**
 * The source without comments and quoted strings (a `/**` or "2 ** n" in text is no call);
 * template literals stay, as their `${}` parts are code.
 */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\/\/.*$/gm, "");
}

function* sources(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sources(path);
    else if (/\.ts$/.test(entry.name) && !/(_test|^_testing)\.ts$/.test(entry.name)) yield path;
  }
}

Deno.test("no engine-dependent Math function or ** in the code that computes results", () => {
  const found: string[] = [];
  const used = new Set<string>();
  for (const folder of SCANNED) {
    for (const path of sources(join(root, folder))) {
      const file = relative(root, path);
      if (file === "packages/core/ieee_math.ts") continue;
      if (SKIPPED.some((s) => file.startsWith(`${s.folder}/`))) continue;
      for (const match of code(Deno.readTextFileSync(path)).matchAll(FORBIDDEN)) {
        const allowed = ALLOWED.find((a) => a.file === file && a.found === match[0]);
        if (allowed) used.add(file);
        else found.push(`${file}: ${match[0]}`);
      }
    }
  }
  assert.deepEqual(
    found,
    [],
    "use exp, log, cos, sin, pow or powInt from packages/core/ieee_math.ts instead",
  );
  // an exception that no longer occurs should leave the list
  assert.deepEqual([...used].sort(), ALLOWED.map((a) => a.file).sort());
});

Deno.test("the scan finds what it looks for", () => {
  const sample = [
    "/** x ** 2 in a comment */ const a = 1; // Math.exp(1)",
    'const s = "Math.log(2) ** 3";',
    "const b = Math.exp(a) + Math.log1p(a) + a ** 2;",
  ].join("\n");
  assert.deepEqual([...code(sample).matchAll(FORBIDDEN)].map((m) => m[0]), [
    "Math.exp",
    "Math.log1p",
    "**",
  ]);
});

Deno.test("the wasm kernels import nothing but memory (no engine's libm)", async () => {
  const bytes = await Deno.readFile(new URL("./kernels/gradnets.wasm", import.meta.url));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  assert.deepEqual(imports, [{ module: "env", name: "memory", kind: "memory" }]);
});
