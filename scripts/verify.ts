/**
 * `deno task verify`: retrains a seeded, stratified sample of the stored runs (or the runs
 * named) and checks that each run file comes out byte-identical. See `deno task verify --help`.
 *
 * @module
 */

import { verifyMain } from "@gradnets/runner";
import { EXPERIMENTS } from "../experiments/main.ts";

if (import.meta.main) await verifyMain(EXPERIMENTS);
