/**
 * `deno task experiment`: runs the published experiments (or the ones named), resuming from
 * the runs already stored. See `deno task experiment --help`.
 *
 * @module
 */

import { experimentMain } from "./_runner.ts";
import { depthStudy } from "./depth-study.ts";
import { search } from "./search.ts";
import { seedNotebook } from "./seed-notebook.ts";

/** The published experiments, in the order they run. */
export const EXPERIMENTS = [seedNotebook, search, depthStudy];

if (import.meta.main) await experimentMain(EXPERIMENTS);
