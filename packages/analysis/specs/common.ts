/**
 * What every figure shares: a caption that states the settings and versions that made it, and
 * a config that works without a canvas (no label truncation, which needs text measurement).
 *
 * @module
 */

/** A Vega-Lite specification, as plain data. */
export type VegaLiteSpec = Record<string, unknown>;

/** Where a figure's data came from: shown under its title, so that an SVG carries it too. */
export interface Provenance {
  /** Settings shared by every run in the figure, e.g. `init he, optimizer momentum`. */
  readonly settings: string;
  /** Versions and commits, e.g. `tfjs 4.22.0 wasm (SIMD on), Deno 2.9.6, commit 0ceb126`. */
  readonly versions: string;
}

/** The config block of every figure: no label limits (no canvas to measure text in Deno). */
export const FIGURE_CONFIG = {
  axis: { labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0 },
  header: { labelLimit: 0, titleLimit: 0 },
  title: { anchor: "start", subtitleColor: "#555", subtitleFontSize: 10, limit: 0 },
  font: "Helvetica, Arial, sans-serif",
} as const;

/**
 * A title with the provenance as subtitle lines (wrapped at about 110 characters).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureTitle } from "@gradnets/analysis";
 * const title = figureTitle("Accuracy", { settings: "init he", versions: "tfjs 4.22.0" });
 * assert.deepEqual(title.subtitle, ["init he", "tfjs 4.22.0"]);
 * ```
 */
export function figureTitle(
  text: string,
  provenance: Provenance,
): { text: string; subtitle: string[] } {
  return { text, subtitle: [...wrap(provenance.settings), ...wrap(provenance.versions)] };
}

function wrap(text: string, width = 110): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
