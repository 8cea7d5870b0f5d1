/**
 * Rendering: Vega-Lite specs to static SVG (in Deno, with npm:vega and npm:vega-lite, no
 * browser), and self-contained HTML pages that embed the interactive figures. Pages inline the
 * vega, vega-lite and vega-embed bundles from node_modules and the figures' data, so they open
 * from `file://` with no network.
 *
 * @module
 */

import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml } from "./html.ts";
import type { VegaLiteSpec } from "./specs/common.ts";

/**
 * Renders a Vega-Lite spec to an SVG document, one element per line; the same spec always gives
 * the same bytes. `idPrefix` is put before the ids of its gradients and clip paths. Await one
 * call before the next: vega numbers those ids with counters shared by the whole process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "@gradnets/analysis";
 * const svg = await renderSvg({ data: { values: [{ x: 1 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } } });
 * assert.match(svg, /^<svg/);
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec, idPrefix = ""): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  // Vega numbers gradients and clip paths with process-wide counters: without a reset, the same
  // spec renders to other bytes depending on what was rendered before it.
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = diffableSvg(await view.toSVG());
    // A prefix keeps the ids unique when several figures are inlined in one page.
    return idPrefix === "" ? svg : svg.replace(
      /(id="|url\(#)((?:p_)?gradient_\d+|clip\d+)/g,
      (_, before: string, id: string) => `${before}${idPrefix}${id}`,
    );
  } finally {
    view.finalize();
  }
}

/**
 * An SVG document with one element per line. Vega writes the whole document on one line, so
 * one new run in a study would rewrite megabytes of committed report text; with a line per mark,
 * a regenerated figure's diff shows only the marks that changed. Text elements keep their
 * `tspan` children on their line: whitespace there would be rendered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffableSvg } from "@gradnets/analysis";
 * assert.equal(diffableSvg('<svg><g><path d="M0,0"/></g></svg>'), '<svg>\n<g>\n<path d="M0,0"/>\n</g>\n</svg>');
 * ```
 */
export function diffableSvg(svg: string): string {
  return svg.replace(/>(?=<(?!\/?tspan\b|\/text\b))/g, ">\n");
}

/**
 * JSON with every array of objects written one element per line (everything else compact), so
 * that the data inlined in a page diffs row by row. `JSON.parse` gives back the same value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineJson } from "@gradnets/analysis";
 * const value = { data: { values: [{ x: 1 }, { x: 2 }] }, mark: "point" };
 * assert.equal(lineJson(value), '{"data":{"values":[\n{"x":1},\n{"x":2}\n]},"mark":"point"}');
 * assert.deepEqual(JSON.parse(lineJson(value)), value);
 * ```
 */
export function lineJson(value: unknown): string {
  // A round trip through JSON first, so that toJSON, undefined, holes and NaN are treated
  // exactly as JSON.stringify treats them; what is left is plain JSON data.
  const text = JSON.stringify(value);
  return text === undefined ? "null" : formatJson(JSON.parse(text));
}

function formatJson(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map(formatJson);
    const rows = value.length > 0 &&
      value.every((item) => item !== null && typeof item === "object" && !Array.isArray(item));
    return rows ? `[\n${items.join(",\n")}\n]` : `[${items.join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    return `{${
      Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${formatJson(v)}`).join(",")
    }}`;
  }
  return JSON.stringify(value);
}

/** The folder of an npm package in node_modules (its `exports` may hide package.json). */
function packageDir(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  while (!dir.endsWith(`/node_modules/${name}`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of npm package ${name}`);
    dir = parent;
  }
  return dir;
}

let bundles: Promise<string> | undefined;

/** The three browser bundles as one script text (read once). */
function browserBundles(): Promise<string> {
  bundles ??= Promise.all([
    Deno.readTextFile(join(packageDir("vega"), "build", "vega.min.js")),
    Deno.readTextFile(join(packageDir("vega-lite"), "build", "vega-lite.min.js")),
    Deno.readTextFile(join(packageDir("vega-embed"), "build", "vega-embed.min.js")),
  ]).then((scripts) => scripts.map(scriptSafe).join("\n"));
  return bundles;
}

/** Text that cannot close the <script> element it is inlined in. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

export { escapeHtml } from "./html.ts";

/** A block of a report page. */
export type PageBlock =
  | { readonly kind: "html"; readonly html: string }
  | {
    readonly kind: "figure";
    readonly id: string;
    readonly spec: VegaLiteSpec;
    readonly caption: string;
    readonly svg: string;
  }
  | {
    readonly kind: "table";
    /** The element id, for links from the findings. */
    readonly id?: string;
    readonly caption: string;
    readonly columns: readonly string[];
    readonly rows: readonly (readonly string[])[];
    /** Cells shown in bold (the best per column), by row and column. */
    readonly best?: readonly (readonly boolean[])[];
    /** Columns of text, aligned left like the first (numbers align right). */
    readonly left?: readonly number[];
  };

/** A report page. */
export interface Page {
  readonly title: string;
  /** Links shown at the top: [text, href]. */
  readonly nav: readonly (readonly [string, string])[];
  readonly blocks: readonly PageBlock[];
}

const STYLE = `
body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #222; max-width: 1180px; margin: 2em auto; padding: 0 1em; }
nav a { margin-right: 1em; } h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; }
figure { margin: 1.5em 0; } figcaption { color: #555; font-size: 0.9em; max-width: 900px; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, th.text, td.text { text-align: left; } caption { text-align: left; color: #555; padding-bottom: 0.4em; }
.vega-embed { display: block; max-width: 100%; } details { margin: 1em 0; } pre { white-space: pre-wrap; font-size: 0.8em; }
.vega-bind { font-size: 0.9em; margin: 0.3em 0; } .vega-bind select { font-size: 1em; }
details.reproduce { background: #f6f8fa; padding: 0.3em 0.8em; border-radius: 4px; font-size: 0.9em; }
details.reproduce pre { background: #fff; padding: 0.5em; border: 1px solid #e1e4e8; }
.takeaways li { margin: 0.25em 0; } p.manifest { color: #555; font-size: 0.85em; }
noscript img { max-width: 100%; }
.findings th, .findings td { text-align: left; vertical-align: top; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.5em 0.8em; }
.claims th, .claims td { text-align: left; vertical-align: top; } .claims table { font-size: 0.9em; }
.verdict { display: inline-block; padding: 0 0.45em; border-radius: 3px; font-size: 0.85em; font-weight: bold; white-space: nowrap; }
.verdict.holds { background: #dcf5dc; color: #1a5e1a; } .verdict.part { background: #fff1c9; color: #7a5600; }
.verdict.fails { background: #fbdcdc; color: #8a1c1c; } .verdict.untested { background: #e8e8ef; color: #444; }`;

/**
 * A self-contained HTML page: the figures render with the inlined vega bundles; without
 * JavaScript the static SVG of each figure is shown instead.
 *
 * @example
 * ```ts ignore
 * const html = await htmlPage({ title: "GradNets", nav: [], blocks: [] });
 * ```
 */
export async function htmlPage(page: Page): Promise<string> {
  const parts: string[] = [];
  const embeds: string[] = [];
  for (const block of page.blocks) {
    if (block.kind === "html") parts.push(block.html);
    if (block.kind === "table") {
      const id = block.id === undefined ? "" : ` id="${escapeHtml(block.id)}"`;
      const td = (j: number) => (block.left?.includes(j) ? `<td class="text">` : "<td>");
      const th = (j: number) => (block.left?.includes(j) ? `<th class="text">` : "<th>");
      parts.push(
        `<table${id}><caption>${escapeHtml(block.caption)}</caption><thead><tr>${
          block.columns.map((c, j) => `${th(j)}${escapeHtml(c)}</th>`).join("")
        }</tr></thead><tbody>${
          block.rows.map((row, i) =>
            `<tr>${
              row.map((cell, j) =>
                block.best?.[i]?.[j]
                  ? `${td(j)}<strong>${escapeHtml(cell)}</strong></td>`
                  : `${td(j)}${escapeHtml(cell)}</td>`
              ).join("")
            }</tr>`
          ).join("\n")
        }</tbody></table>`,
      );
    }
    if (block.kind === "figure") {
      parts.push(
        `<figure id="${escapeHtml(block.id)}"><div class="controls" id="${
          escapeHtml(block.id)
        }-controls"></div><div id="${
          escapeHtml(block.id)
        }-view"></div><noscript>${block.svg}</noscript><figcaption>${block.caption}</figcaption></figure>`,
      );
      embeds.push(
        `vegaEmbed(${JSON.stringify(`#${block.id}-view`)}, ${
          scriptSafe(lineJson(block.spec))
        }, { renderer: "svg", bind: ${
          JSON.stringify(`#${block.id}-controls`)
        }, actions: { export: true, source: true, compiled: false, editor: false } }).then((result) => { views[${
          JSON.stringify(block.id)
        }] = result.view; }).catch((error) => console.error(error));`,
      );
    }
  }
  const nav = page.nav.map(([text, href]) =>
    `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
<script>${await browserBundles()}</script>
</head>
<body>
<nav>${nav}</nav>
<h1>${escapeHtml(page.title)}</h1>
${parts.join("\n")}
<script>
// Each figure's Vega view by figure id, for the console and the browser test.
const views = (window.vegaViews = {});
${embeds.join("\n")}
</script>
</body>
</html>
`;
}
