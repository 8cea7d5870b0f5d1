/**
 * Comparing a retrained run file with the stored one: byte for byte, and when the bytes differ,
 * the first field that differs with both values, so that a reviewer sees at once whether a
 * logged loss moved in its last digit or the run diverged elsewhere.
 *
 * @module
 */

/** The first place two JSON values differ. */
export interface Difference {
  /** Where, as a path into the record: `epochs[3].trainLoss`, `status`, `epochs.length`. */
  readonly path: string;
  /** The stored value, as JSON (shortened when long; `(absent)` when the field is missing). */
  readonly stored: string;
  /** The retrained value, the same way. */
  readonly retrained: string;
}

/** What {@linkcode compareRunFiles} found. */
export type Comparison =
  | { readonly identical: true }
  | { readonly identical: false; readonly difference: string };

const ABSENT = "(absent)";

function shown(value: unknown): string {
  if (value === undefined) return ABSENT;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function child(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? (path === "" ? key : `${path}.${key}`)
    : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The first place where `stored` and `retrained` differ, walking objects in the stored key
 * order (then keys only the retrained value has) and arrays by index (then their lengths);
 * `null` when they are equal as JSON values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstDifference } from "@gradnets/runner";
 * const stored = { status: "completed", epochs: [{ trainLoss: 0.5 }, { trainLoss: 0.2314 }] };
 * const retrained = { status: "completed", epochs: [{ trainLoss: 0.5 }, { trainLoss: 0.2315 }] };
 * assert.deepEqual(firstDifference(stored, retrained), {
 *   path: "epochs[1].trainLoss", stored: "0.2314", retrained: "0.2315",
 * });
 * assert.equal(firstDifference(stored, structuredClone(stored)), null);
 * ```
 */
export function firstDifference(
  stored: unknown,
  retrained: unknown,
  path = "",
): Difference | null {
  const here = path === "" ? "(record)" : path;
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (kind(stored) !== kind(retrained)) {
    return { path: here, stored: shown(stored), retrained: shown(retrained) };
  }
  if (Array.isArray(stored) && Array.isArray(retrained)) {
    const n = Math.min(stored.length, retrained.length);
    for (let i = 0; i < n; i++) {
      const found = firstDifference(stored[i], retrained[i], `${path}[${i}]`);
      if (found) return found;
    }
    if (stored.length !== retrained.length) {
      return {
        path: `${path}.length`,
        stored: String(stored.length),
        retrained: String(retrained.length),
      };
    }
    return null;
  }
  if (stored !== null && typeof stored === "object") {
    const a = stored as Record<string, unknown>, b = retrained as Record<string, unknown>;
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    for (const key of keys) {
      const inA = Object.hasOwn(a, key), inB = Object.hasOwn(b, key);
      if (inA !== inB) {
        return {
          path: child(path, key),
          stored: inA ? shown(a[key]) : ABSENT,
          retrained: inB ? shown(b[key]) : ABSENT,
        };
      }
      const found = firstDifference(a[key], b[key], child(path, key));
      if (found) return found;
    }
    return null;
  }
  return Object.is(stored, retrained)
    ? null
    : { path: here, stored: shown(stored), retrained: shown(retrained) };
}

/**
 * A difference as one line: `epochs[3].trainLoss: 0.2314 vs 0.2315` (stored value first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDifference } from "@gradnets/runner";
 * const line = formatDifference({ path: "status", stored: '"completed"', retrained: '"diverged"' });
 * assert.equal(line, 'status: "completed" vs "diverged"');
 * ```
 */
export function formatDifference(difference: Difference): string {
  return `${difference.path}: ${difference.stored} vs ${difference.retrained}`;
}

/**
 * Compares two run files: identical when their bytes are; otherwise both are parsed as JSON and
 * the first differing field is named (see {@linkcode firstDifference}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRunFiles } from "@gradnets/runner";
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * assert.deepEqual(compareRunFiles(bytes('{"a":1}\n'), bytes('{"a":1}\n')), { identical: true });
 * assert.deepEqual(compareRunFiles(bytes('{"a":1}\n'), bytes('{"a":2}\n')), {
 *   identical: false,
 *   difference: "a: 1 vs 2",
 * });
 * ```
 */
export function compareRunFiles(stored: Uint8Array, retrained: Uint8Array): Comparison {
  if (stored.length === retrained.length && stored.every((byte, i) => byte === retrained[i])) {
    return { identical: true };
  }
  const parse = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
    } catch {
      return { ok: false };
    }
  };
  const a = parse(stored), b = parse(retrained);
  if (!a.ok || !b.ok) {
    const which = !a.ok && !b.ok
      ? "neither file is"
      : !a.ok
      ? "the stored file is"
      : "the retrained file is";
    return { identical: false, difference: `${which} not valid JSON` };
  }
  const difference = firstDifference(a.value, b.value);
  return {
    identical: false,
    difference: difference
      ? formatDifference(difference)
      : "same values, different bytes (formatting or key order)",
  };
}
