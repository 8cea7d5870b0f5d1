/**
 * The registry of input stages: what a model may do to the image before its dense input layer.
 * A config without `inputStage` feeds the pixels straight in (every run of the v1 studies); the
 * stages here downsample the image over non-overlapping `window x window` patches first, so the
 * dense input layer sees `(side / window)^2` features (196 for MNIST and window 2). They test
 * the GradNets abstract's "simple downsampling to fully differentiable attention mechanisms":
 * average pooling, attention pooling, and the GradNet from the one to the other (see
 * `layers/pooling.ts` for how the formulas read those words).
 *
 * Like the architectures' registry (`architectures.ts`), each stage is one entry, and its config type, validation,
 * labels and test cases derive from it. The stage is not counted in a model's depth, as batch
 * normalisation is not.
 *
 * @module
 */

import type { Initializer } from "./initializers.ts";
import type { Layer } from "./layers/layer.ts";
import { attentionPoolLayer, averagePoolLayer, gradualPoolLayer } from "./layers/pooling.ts";
import type { Random } from "./random.ts";

/** What a stage's layer needs besides its config. */
export interface InputStageOptions {
  /** Side of the square image. */
  readonly side: number;
  /** Initialiser of learnt scores. */
  readonly init: Initializer;
  /** Source of the initial scores. */
  readonly random: Random;
}

/** One entry of the registry: everything the project knows about an input stage. */
export interface InputStageEntry<
  S extends { readonly kind: string; readonly window: number } = {
    readonly kind: string;
    readonly window: number;
  },
> {
  /** The config's `kind`, e.g. `average-pool`. */
  readonly kind: S["kind"];
  /** The formula in one line, for `--help` and the docs. */
  readonly summary: string;
  /** Whether the stage depends on g. */
  readonly gradNet: boolean;
  /** A GradNet stage's ends: the stages it is at g = 0 and at g = 1, trained alone to compare. */
  readonly ends?: { readonly early: string; readonly late: string };
  /** Builds the stage's layer, named `pool`. */
  layer(stage: S, options: InputStageOptions): Layer;
  /** The configs that the tests build. */
  readonly testCases: readonly S[];
}

/** The config type of a registry entry. */
export type InputStageOf<E> = E extends InputStageEntry<infer S> ? S : never;

type Pooling<K extends string> = { readonly kind: K; readonly window: number };

const averagePool: InputStageEntry<Pooling<"average-pool">> = {
  kind: "average-pool",
  summary: "y_p = mean_k x_pk over each window x window patch p (simple downsampling)",
  gradNet: false,
  layer: (s, o) => averagePoolLayer({ name: "pool", side: o.side, window: s.window }),
  testCases: [{ kind: "average-pool", window: 2 }],
};

const attentionPool: InputStageEntry<Pooling<"attention-pool">> = {
  kind: "attention-pool",
  summary: "y_p = sum_k a_pk x_pk, a_p = softmax(x_p V + c): learnt soft attention per patch",
  gradNet: false,
  layer: (s, o) => attentionPoolLayer({ name: "pool", ...o, window: s.window }),
  testCases: [{ kind: "attention-pool", window: 2 }],
};

const gradualPool: InputStageEntry<Pooling<"gradual-pool">> = {
  kind: "gradual-pool",
  summary: "y = g attention-pool(x) + (1 - g) average-pool(x): downsampling to attention",
  gradNet: true,
  ends: { early: "average-pool", late: "attention-pool" },
  layer: (s, o) => gradualPoolLayer({ name: "pool", ...o, window: s.window }),
  testCases: [{ kind: "gradual-pool", window: 2 }],
};

/**
 * Every input stage, in the order of `--help` and the tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INPUT_STAGES } from "@gradnets/core";
 * assert(INPUT_STAGES.some((entry) => entry.kind === "gradual-pool" && entry.gradNet));
 * ```
 */
export const INPUT_STAGES = [averagePool, attentionPool, gradualPool] as const;

/**
 * What a model does to the image before its dense input layer, as a config names it (absent:
 * nothing, the pixels go straight in). `window` is the side of the patches, e.g. 2.
 */
export type InputStage = InputStageOf<(typeof INPUT_STAGES)[number]>;

/** The input stages' kinds. */
export const INPUT_STAGE_KINDS: readonly InputStage["kind"][] = INPUT_STAGES.map((e) => e.kind);

/**
 * Every entry's test cases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INPUT_STAGE_TEST_CASES } from "@gradnets/core";
 * assert.equal(INPUT_STAGE_TEST_CASES.length, 3);
 * ```
 */
export const INPUT_STAGE_TEST_CASES: readonly InputStage[] = INPUT_STAGES.flatMap((
  entry,
): readonly InputStage[] => entry.testCases);

const BY_KIND = new Map<string, InputStageEntry>(
  INPUT_STAGES.map((entry) => [entry.kind, entry as unknown as InputStageEntry]),
);

/**
 * The registry's entry of an input stage kind, as a results table writes it; undefined for an
 * unknown kind (or none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputStageEntry } from "@gradnets/core";
 * assert.equal(inputStageEntry("gradual-pool")?.ends?.late, "attention-pool");
 * assert.equal(inputStageEntry("pixels"), undefined);
 * ```
 */
export function inputStageEntry(kind: string | undefined): InputStageEntry | undefined {
  return kind === undefined ? undefined : BY_KIND.get(kind);
}

function entryOf(stage: InputStage): InputStageEntry<InputStage> {
  const entry = BY_KIND.get(stage.kind);
  if (!entry) throw new Error(`unknown input stage ${JSON.stringify(stage.kind)}`);
  return entry as unknown as InputStageEntry<InputStage>;
}

/**
 * Whether an input stage depends on g.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputStageIsGradNet } from "@gradnets/core";
 * assert(inputStageIsGradNet({ kind: "gradual-pool", window: 2 }));
 * assert(!inputStageIsGradNet({ kind: "attention-pool", window: 2 }));
 * ```
 */
export function inputStageIsGradNet(stage: InputStage): boolean {
  return entryOf(stage).gradNet;
}

/**
 * The name of an input stage in figures and tables, e.g. `attention-pool-2x2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputStageLabel } from "@gradnets/core";
 * assert.equal(inputStageLabel({ kind: "average-pool", window: 2 }), "average-pool-2x2");
 * ```
 */
export function inputStageLabel(stage: InputStage): string {
  return `${stage.kind}-${stage.window}x${stage.window}`;
}

/**
 * The side of a square image of `features` pixels, or undefined when it is not a square.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageSide } from "@gradnets/core";
 * assert.equal(imageSide(784), 28);
 * assert.equal(imageSide(12), undefined);
 * ```
 */
export function imageSide(features: number): number | undefined {
  const side = Math.round(Math.sqrt(features));
  return side * side === features ? side : undefined;
}

/**
 * An input stage's layer for images of `features` pixels, and the number of features it
 * gives, or the reason it cannot be built: the image is not square, or the window does not
 * divide its side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputStageLayer, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const built = inputStageLayer({ kind: "average-pool", window: 2 }, 784, {
 *   init: { kind: "he" }, random: new Random(1),
 * });
 * assert(!("problem" in built) && built.features === 196 && built.layer.name === "pool");
 * const bad = inputStageLayer({ kind: "average-pool", window: 3 }, 784, {
 *   init: { kind: "he" }, random: new Random(1),
 * });
 * assert("problem" in bad && /does not divide the image side 28/.test(bad.problem));
 * ```
 */
export function inputStageLayer(
  stage: InputStage,
  features: number,
  options: Omit<InputStageOptions, "side">,
): { layer: Layer; features: number } | { problem: string } {
  const side = imageSide(features);
  const name = inputStageLabel(stage);
  if (side === undefined) {
    return { problem: `${name} needs a square image, got ${features} pixels` };
  }
  if (side % stage.window !== 0) {
    return { problem: `${name}: window ${stage.window} does not divide the image side ${side}` };
  }
  const pooled = side / stage.window;
  return { layer: entryOf(stage).layer(stage, { ...options, side }), features: pooled * pooled };
}

/**
 * What is wrong with a config's `inputStage` value, or undefined when it is valid: an object
 * with a known `kind` and, as its own fields, only an integer `window` >= 2 (whether it
 * divides the image's side is known once the data is: {@linkcode inputStageLayer} says).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateInputStage } from "@gradnets/core";
 * assert.equal(validateInputStage({ kind: "gradual-pool", window: 2 }), undefined);
 * assert.match(validateInputStage({ kind: "max-pool", window: 2 })!, /unknown input stage/);
 * assert.match(validateInputStage({ kind: "average-pool" })!, /window is required/);
 * assert.match(validateInputStage({ kind: "average-pool", window: 2, V: 1 })!, /has no field V/);
 * ```
 */
export function validateInputStage(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `inputStage must be an object like {"kind": "average-pool", "window": 2}, got ${
      JSON.stringify(value)
    }`;
  }
  const fields = value as Record<string, unknown>;
  const kind = Object.hasOwn(fields, "kind") ? fields.kind : undefined;
  const entry = typeof kind === "string" ? BY_KIND.get(kind) : undefined;
  if (!entry) {
    return `unknown input stage ${JSON.stringify(kind)} (known: ${INPUT_STAGE_KINDS.join(", ")})`;
  }
  const extra = Object.keys(fields).filter((key) => key !== "kind" && key !== "window");
  if (extra.length > 0) return `input stage ${kind} has no field ${extra.join(", ")}`;
  if (!Object.hasOwn(fields, "window")) {
    return `input stage ${kind} window is required (the side of the square patches, e.g. 2)`;
  }
  const window = fields.window;
  if (typeof window !== "number" || !Number.isInteger(window) || window < 2) {
    return `input stage ${kind} window must be an integer >= 2, got ${JSON.stringify(window)}`;
  }
  return undefined;
}

/**
 * The registry as `--help` text: one line per input stage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputStagesHelp } from "@gradnets/core";
 * assert.match(inputStagesHelp(), /^ {2}gradual-pool +y = g attention-pool/m);
 * ```
 */
export function inputStagesHelp(): string {
  const width = Math.max(...INPUT_STAGE_KINDS.map((k) => k.length)) + 2;
  return INPUT_STAGES.map((entry) =>
    `  ${entry.kind.padEnd(width)}${entry.summary}${entry.gradNet ? " [GradNet]" : ""}`
  ).join("\n");
}
