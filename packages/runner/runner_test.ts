import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { NOTEBOOK_CONFIG } from "@gradnets/core";
import type { Experiment } from "./experiment.ts";
import { reportedExperiments } from "./runner.ts";

const here = dirname(fromFileUrl(import.meta.url));

Deno.test("reportedExperiments: the experiments with a page, in order, with what the page needs", () => {
  const chosen = new Map([["grelu", "0123456789ab"]]);
  const experiments: Experiment[] = [
    { name: "notebook", title: "t", runs: () => [NOTEBOOK_CONFIG], report: { page: "notebook" } },
    { name: "scratch", title: "t", runs: () => [] },
    { name: "search", title: "t", runs: () => [], report: { page: "search", chosen } },
  ];
  assert.deepEqual(reportedExperiments(experiments), [
    { name: "notebook", page: "notebook" },
    { name: "search", page: "search", chosen },
  ]);
});

Deno.test("the package imports only packages and its own files (no experiment settings)", async () => {
  for await (const entry of Deno.readDir(here)) {
    if (!entry.name.endsWith(".ts")) continue;
    // The code, not the examples in its doc comments.
    const text = (await Deno.readTextFile(join(here, entry.name))).replace(/\/\*\*[^]*?\*\//g, "");
    const specifiers = [...text.matchAll(/(?:from|import\()\s*"([^"]+)"/g)].map((m) => m[1]);
    for (const specifier of specifiers) {
      assert.ok(
        /^(\.\/[^/]+\.ts|@gradnets\/[a-z]+|node:[a-z/]+|@tensorflow\/tfjs)$/.test(specifier),
        `${entry.name} imports ${specifier}`,
      );
    }
  }
});

Deno.test("the pool's worker module resolves beside the package's files", async () => {
  const worker = import.meta.resolve("./worker.ts");
  assert.ok((await Deno.stat(fromFileUrl(worker))).isFile);
  assert.match(
    await Deno.readTextFile(join(here, "pool.ts")),
    /import\.meta\.resolve\("\.\/worker\.ts"\)/,
  );
});
