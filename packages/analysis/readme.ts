/**
 * Blocks of a Markdown file that a script writes, so that numbers in prose (README.md's headline
 * table and compute time) come from the stored runs and cannot drift. A block sits between two
 * HTML comments, `<!-- report:NAME -->` and `<!-- /report:NAME -->`, which Markdown renders as
 * nothing; whatever is between them is replaced, so filling a file twice gives the same bytes.
 *
 * @module
 */

/**
 * A marked block that is missing, unbalanced, repeated, or has nothing to fill it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillMarkers, MarkerError } from "@gradnets/analysis";
 * assert.throws(() => fillMarkers("no markers", { headline: "x" }), MarkerError);
 * ```
 */
export class MarkerError extends Error {
  /** The marker's name, e.g. `headline` for `<!-- report:headline -->`. */
  readonly marker: string;
  /** Creates the error; `source` names the file in the message. */
  constructor(source: string, marker: string, message: string) {
    super(`${source}: <!-- report:${marker} -->: ${message}`);
    this.name = "MarkerError";
    this.marker = marker;
  }
}

const MARKER = /<!--\s*(\/?)report:([^\s>]*)\s*-->/g;

/**
 * Replaces the text between `<!-- report:NAME -->` and `<!-- /report:NAME -->` with
 * `blocks[NAME]`, for every name, on lines of its own (`open\nblock\nclose`; a trailing line
 * break of the block is dropped). Every block must have exactly one pair of markers, and every
 * pair a block; a marker opened and not closed, closed and not opened, or opened inside another
 * block is a {@linkcode MarkerError} naming it and `source` (the file, for the message).
 *
 * @example A stale number is replaced; the markers stay
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillMarkers } from "@gradnets/analysis";
 * const readme = "Compute:\n<!-- report:compute -->\n1h\n<!-- /report:compute -->\nEnd.\n";
 * const filled = fillMarkers(readme, { compute: "12h37m" });
 * assert.equal(filled, "Compute:\n<!-- report:compute -->\n12h37m\n<!-- /report:compute -->\nEnd.\n");
 * assert.equal(fillMarkers(filled, { compute: "12h37m" }), filled);
 * ```
 *
 * @example Missing and unbalanced markers are errors
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillMarkers } from "@gradnets/analysis";
 * assert.throws(() => fillMarkers("text", { compute: "1h" }, "README.md"), /README.md: .*compute.*missing/);
 * assert.throws(() => fillMarkers("<!-- report:compute -->", { compute: "1h" }), /never closed/);
 * ```
 */
export function fillMarkers(
  text: string,
  blocks: Readonly<Record<string, string>>,
  source = "text",
): string {
  const names = Object.keys(blocks);
  for (const name of names) {
    if (blocks[name].match(MARKER)) {
      throw new MarkerError(source, name, "the block's text holds a report marker itself");
    }
  }
  const seen = new Set<string>();
  let open: { name: string; end: number } | null = null;
  let output = "";
  let copied = 0;
  for (const match of text.matchAll(MARKER)) {
    const [marker, slash, name] = match;
    if (slash === "") {
      if (open !== null) {
        throw new MarkerError(source, name, `opened inside <!-- report:${open.name} -->`);
      }
      if (seen.has(name)) throw new MarkerError(source, name, "appears more than once");
      if (!Object.hasOwn(blocks, name)) {
        throw new MarkerError(
          source,
          name,
          `no block of that name (known: ${names.join(", ") || "none"})`,
        );
      }
      seen.add(name);
      open = { name, end: match.index + marker.length };
    } else {
      if (open === null || open.name !== name) {
        throw new MarkerError(
          source,
          name,
          `<!-- /report:${name} --> closes no open <!-- report:${name} -->`,
        );
      }
      output += `${text.slice(copied, open.end)}\n${blocks[name].replace(/\n+$/, "")}\n`;
      copied = match.index;
      open = null;
    }
  }
  if (open !== null) {
    throw new MarkerError(source, open.name, `never closed by <!-- /report:${open.name} -->`);
  }
  const missing = names.find((name) => !seen.has(name));
  if (missing !== undefined) {
    throw new MarkerError(
      source,
      missing,
      `missing (the block goes between it and <!-- /report:${missing} -->)`,
    );
  }
  return output + text.slice(copied);
}
