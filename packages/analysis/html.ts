/**
 * What makes a name from the result tables safe where the report puts it: escaped for HTML
 * text and attributes, and turned into a slug for ids and file names. Dataset names come from
 * `runs.csv` (`idx:` and a folder path of the user's), so a crafted results folder must neither
 * inject markup into a page nor make the report write outside its folder.
 *
 * @module
 */

import { createHash } from "node:crypto";

/**
 * Escapes text for HTML, in element text and in quoted attribute values alike.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "@gradnets/analysis";
 * assert.equal(escapeHtml(`"><img src=x>`), "&#34;&#62;&#60;img src=x&#62;");
 * assert.equal(escapeHtml("fashion-mnist"), "fashion-mnist");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A name that is already a slug: lower-case letters and digits, joined by single dashes. */
const SAFE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A name as a safe id and file name: letters, digits and dashes only. A name that is one
 * already (`mnist`, `fashion-mnist`) is kept; any other is reduced to its letters and digits
 * (at most 40 characters) and followed by 8 hex digits of the SHA-256 of the original, so that
 * two names never share a slug by their punctuation alone. Never empty, never `.` or `..`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slug } from "@gradnets/analysis";
 * assert.equal(slug("fashion-mnist"), "fashion-mnist");
 * assert.match(slug("idx:../../tmp/x"), /^idx-tmp-x-[0-9a-f]{8}$/);
 * assert.notEqual(slug("idx:a/b"), slug("idx:a_b"));
 * ```
 */
export function slug(name: string): string {
  if (SAFE.test(name)) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 40).replace(/^-+|-+$/g, "");
  return base === "" ? hash : `${base}-${hash}`;
}
