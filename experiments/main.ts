/**
 * `deno task experiment`: runs the published experiments (or the ones named), resuming from
 * the runs already stored. See `deno task experiment --help`.
 *
 * @module
 */

import { type Experiment, experimentMain } from "@gradnets/runner";
import { fileURLToPath } from "node:url";
import { depthStudy } from "./depth-study.ts";
import { search } from "./search.ts";
import { seedNotebook } from "./seed-notebook.ts";
import { search200 } from "./search-200.ts";
import { searchV2 } from "./search-v2.ts";
import { studyV2 } from "./study-v2.ts";
import { attention } from "./attention.ts";

/**
 * The published experiments, in the order they run; the report shows each that declares a
 * page. Study v1 (the notebook, the search, the depth study), then study v2 (its searches at
 * depths 50 and 200, its depth study, and downsampling to attention).
 */
export const EXPERIMENTS: readonly Experiment[] = [
  seedNotebook,
  search,
  depthStudy,
  searchV2,
  search200,
  studyV2,
  attention,
];

/** README.md, whose marked numbers the published report rewrites. */
export const README = fileURLToPath(new URL("../README.md", import.meta.url));

if (import.meta.main) await experimentMain(EXPERIMENTS, { readme: README });
