/**
 * The page of the settings search.
 *
 * @module
 */

import { join } from "node:path";
import type { Row } from "../csv.ts";
import { writeFileAtomic } from "../csv.ts";
import { htmlPage } from "../render.ts";
import { searchBlocks } from "../search_page.ts";
import type { Provenance } from "../specs/common.ts";
import { readRuns } from "../tables.ts";
import {
  commonSettings,
  figure,
  manifestBlock,
  type PageContext,
  readManifest,
  versionsLine,
} from "./shared.ts";

/**
 * Writes `search.html` from the tables of the search experiment `name` in `dir`.
 *
 * @example
 * ```ts ignore
 * const path = await searchPage(ctx, "results/search", "search", chosenRunIds);
 * ```
 */
export async function searchPage(
  ctx: PageContext,
  dir: string,
  name: string,
  chosen?: ReadonlyMap<string, string>,
): Promise<string> {
  const options = { out: ctx.out, chosen };
  const nav = ctx.nav;
  {
    const runs = await readRuns(dir);
    const manifest = await readManifest(dir);
    const provenance: Provenance = {
      settings: commonSettings(runs),
      versions: versionsLine(manifest),
    };
    const blocks = await searchBlocks(
      runs,
      provenance,
      (id, spec, caption, data) => figure(options.out, id, spec, caption, data as Row[]),
      options.chosen,
    );
    const path = join(options.out, "search.html");
    await writeFileAtomic(
      path,
      await htmlPage({
        title: "GradNets: the settings search",
        nav,
        blocks: [
          {
            kind: "html",
            html:
              `<p>Every architecture gets the same search budget: each combination of optimiser (SGD with momentum 0.9 at learning rates 0.01 and 0.003, Adam at 1e-3 and 3e-4), gradient clipping (global norm 1, or none) and, for GradNets, the length of the ramp of g (the first quarter, the first half or the whole of training), trained for 5 epochs at depth 50 on MNIST. A second stage refines each GradNet's best setting one change at a time: orthogonal initialisation, a learning rate falling tenfold over training, interpolation from its optimiser to SGD with momentum, gradual dropout (rate 0.1 g), gradual batch normalisation, and a ramp of g that starts a quarter into training. The best setting of each architecture by validation accuracy goes into the depth study; the test split is not evaluated here.</p>`,
          },
          ...blocks,
          manifestBlock(manifest, name),
        ],
      }),
    );
    return path;
  }
}
