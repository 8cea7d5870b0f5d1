/**
 * The index page: what GradNets are, the findings, the headline figure and table of every
 * dataset, the manifest, and links to the other pages.
 *
 * @module
 */

import { marked } from "marked";
import { join } from "node:path";
import { writeFileAtomic } from "../csv.ts";
import { escapeHtml, htmlPage, type PageBlock } from "../render.ts";
import { incompleteNotice, type Manifest, manifestBlock, type PageContext } from "./shared.ts";

/** How to read the figures' CSV files: written beside them as `data/README.md`. */
export const DATA_README = `# The data of every figure

Each \`<figure>.csv\` here holds the numbers drawn in \`../figures/<figure>.svg\` and on the
report pages, one row per drawn point or cell (per seed: the figures show means over seeds).

- Column names are snake_case, in every file.
- Run ids are written \`run-<hash>\` (e.g. \`run-298239878136\`), so that no reader takes an
  all-digit hash for a number. The hash alone is the run's id in \`results/*/runs.csv\` and the
  name of its files under \`results/runs/\`: strip the \`run-\` prefix to join with them.
- Accuracies and errors are fractions in [0, 1], not percentages (\`test_error_*\` is
  1 - \`test_accuracy_*\`); \`epoch\` counts whole passes over the training split (0: before
  training); \`diverged_step\` counts optimiser steps; \`weight_gradient_l2_norm\` is the L2 norm of a layer's
  weight gradient, the mean over the steps sampled in the epoch; \`train_loss\` is the mean
  cross-entropy per example (nats), summed over the batch where \`loss_reduction\` says \`sum\`.
- An empty cell is a value that does not exist (no epoch completed, no gradient logged).
`;

/**
 * Writes `index.html`, and `data/README.md` (how to read the figures' CSV files).
 *
 * @example
 * ```ts ignore
 * const path = await indexPage(ctx, ["mnist"], headlines, manifest, "depth-study", findingsMarkdown);
 * ```
 */
export async function indexPage(
  ctx: PageContext,
  datasets: readonly string[],
  headlines: ReadonlyMap<string, PageBlock[]>,
  studyManifest: Manifest | null,
  /** The depth study's experiment name (its manifest's heading). */
  studyName: string,
  findings?: string,
): Promise<string> {
  const options = { out: ctx.out, findings };
  const nav = ctx.nav;
  const first = datasets[0];
  const [headline, ...tables] = first ? headlines.get(first)! : [];
  // The headline figure first: the result, before any words about it.
  const index: PageBlock[] = [...incompleteNotice(studyManifest), ...(headline ? [headline] : [])];
  index.push({
    kind: "html",
    html:
      `<p>An open reproduction of GradNets (Almeida and Sauder, 2015, <a href="https://arxiv.org/abs/1511.06827">arXiv 1511.06827</a>): layers that interpolate during training from an easy-to-train architecture to an expressive one, <code>y = g * late(x) + (1 - g) * early(x)</code> with <code>g = min(t / tau, 1)</code>, compared with plain, highway, residual and ReZero networks as depth grows from 10 to 200 layers.</p>`,
  });
  if (options.findings) {
    index.push({
      kind: "html",
      html: `<section class="findings">\n${await marked.parse(options.findings)}</section>`,
    });
  }
  if (first) {
    index.push({ kind: "html", html: `<h2>The numbers: ${escapeHtml(first)}</h2>` });
    index.push(...tables);
    for (const other of datasets.slice(1)) {
      index.push({
        kind: "html",
        html: `<h2>Test error against depth: ${escapeHtml(other)}</h2>`,
      });
      index.push(...headlines.get(other)!);
    }
    index.push(manifestBlock(studyManifest, studyName));
  } else {
    index.push({
      kind: "html",
      html: "<p>No depth-study results yet: run <code>deno task experiment</code>.</p>",
    });
  }
  index.push({
    kind: "html",
    html: `<h2>Pages</h2><ul>${
      nav.slice(1).map(([text, href]) =>
        `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`
      ).join(
        "",
      )
    }</ul>`,
  });
  await writeFileAtomic(join(options.out, "data", "README.md"), DATA_README);
  const indexPath = join(options.out, "index.html");
  await writeFileAtomic(
    indexPath,
    await htmlPage({ title: "GradNets: when do they train deep networks?", nav, blocks: index }),
  );
  return indexPath;
}
