/**
 * The page of the settings search.
 *
 * @module
 */

import { join } from "node:path";
import type { Row } from "../csv.ts";
import { writeFileAtomic } from "../csv.ts";
import { escapeHtml, htmlPage } from "../render.ts";
import { searchBlocks } from "../search_page.ts";
import type { Provenance } from "../specs/common.ts";
import { readRuns } from "../tables.ts";
import { chanceLevels } from "../collapse.ts";
import {
  commonSettings,
  figure,
  manifestBlock,
  type PageContext,
  readManifest,
  versionsLine,
} from "./shared.ts";

/** Where a search's page goes and what it says (the first search's: the defaults). */
export interface SearchPageOptions {
  /** The page's file name without `.html`, also its figure's (default `search`). */
  readonly file?: string;
  /** The page's title (default "the settings search"). */
  readonly title?: string;
  /** What the search tries and how it chooses, a paragraph of plain text (default v1's). */
  readonly intro?: string;
}

/** What the v1 search tries, and how it chooses. */
const V1_INTRO =
  "Every architecture gets the same search budget: each combination of optimiser (SGD with momentum 0.9 at learning rates 0.01 and 0.003, Adam at 1e-3 and 3e-4), gradient clipping (global norm 1, or none) and, for GradNets, the length of the ramp of g (the first quarter, the first half or the whole of training), trained for 5 epochs at depth 50 on MNIST. A second stage refines each GradNet's best setting one change at a time: orthogonal initialisation, a learning rate falling tenfold over training, interpolation from its optimiser to SGD with momentum, gradual dropout (rate 0.1 g), gradual batch normalisation, and a ramp of g that starts a quarter into training. The best setting of each architecture by validation accuracy goes into the depth study; the test split is not evaluated here.";

/**
 * Writes `search.html` (or `<page.file>.html`) from the tables of the search experiment `name`
 * in `dir`.
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
  page: SearchPageOptions = {},
): Promise<string> {
  const options = { out: ctx.out, chosen };
  const file = page.file ?? "search";
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
      file,
      await chanceLevels(runs, "validation"),
    );
    const path = join(options.out, `${file}.html`);
    await writeFileAtomic(
      path,
      await htmlPage({
        title: `GradNets: ${page.title ?? "the settings search"}`,
        nav,
        blocks: [
          { kind: "html", html: `<p>${escapeHtml(page.intro ?? V1_INTRO)}</p>` },
          ...blocks,
          manifestBlock(manifest, name),
        ],
      }),
    );
    return path;
  }
}
