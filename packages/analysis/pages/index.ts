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

/**
 * Writes `index.html`.
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
  const index: PageBlock[] = [
    ...incompleteNotice(studyManifest),
    {
      kind: "html",
      html:
        `<p>An open reproduction of GradNets (Almeida and Sauder, 2015, <a href="https://arxiv.org/abs/1511.06827">arXiv 1511.06827</a>): layers that interpolate during training from an easy-to-train architecture to an expressive one, <code>y = g * late(x) + (1 - g) * early(x)</code> with <code>g = min(t / tau, 1)</code>, compared with plain, highway, residual and ReZero networks as depth grows from 10 to 200 layers.</p>`,
    },
  ];
  if (options.findings) {
    index.push({
      kind: "html",
      html: `<section class="findings">\n${await marked.parse(options.findings)}</section>`,
    });
  }
  const first = datasets[0];
  if (first) {
    index.push({
      kind: "html",
      html: `<h2>Test accuracy against depth: ${escapeHtml(first)}</h2>`,
    });
    index.push(...headlines.get(first)!);
    for (const other of datasets.slice(1)) {
      index.push({
        kind: "html",
        html: `<h2>Test accuracy against depth: ${escapeHtml(other)}</h2>`,
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
  const indexPath = join(options.out, "index.html");
  await writeFileAtomic(
    indexPath,
    await htmlPage({ title: "GradNets: when do they train deep networks?", nav, blocks: index }),
  );
  return indexPath;
}
