/**
 * The registry of architectures: the hidden layers a model can stack. Each architecture is one
 * entry here, and everything else derives from it: the {@linkcode Architecture} type of configs,
 * their validation, {@linkcode isGradNet}, the labels of figures and tables, the defaults and
 * `--help` of `--arch`, and the cases that the tests build.
 *
 * A new variant is one layer file in `layers/`, one entry in {@linkcode ARCHITECTURES} and one
 * test file.
 *
 * @module
 */

import type { LayerKind } from "./kernels/layer_kernels.ts";
import { gradualReluLayer } from "./layers/gradual_relu.ts";
import { highwayLayer } from "./layers/highway.ts";
import type { Layer } from "./layers/layer.ts";
import { leakyGradualReluLayer } from "./layers/leaky_gradual_relu.ts";
import { plainLayer, type SquareLayerOptions } from "./layers/plain.ts";
import { gradualResidualLayer, residualLayer, rezeroLayer } from "./layers/residual.ts";
import { gradualRezeroLayer } from "./layers/gradual_rezero.ts";
import { progressiveResidualLayer } from "./layers/progressive.ts";
import { scaledGradualResidualLayer, scaledResidualLayer } from "./layers/scaled_residual.ts";
import { scaledLayer, variancePreservingGain } from "./layers/variance_preserving.ts";

/** An option of an architecture: a field of its config object besides `kind`. */
export interface ArchitectureOption {
  /** The field's name, e.g. `carryBias`. */
  readonly name: string;
  /** What the field holds. */
  readonly type: "boolean" | "number";
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /**
   * A required field is always written into the config (`--arch` fills in `default`); an
   * optional one is left out when it has its default, so that configs (and run ids) stay short.
   */
  readonly required: boolean;
  /**
   * The value `--arch` gives a required field, and the meaning of an absent optional one (a
   * word where it depends on the model, e.g. `1/sqrt(hidden layers)`).
   */
  readonly default: boolean | number | string;
  /** A number that must be > 0. */
  readonly positive?: boolean;
}

/** One entry of the registry: everything the project knows about an architecture. */
export interface ArchitectureEntry<
  A extends { readonly kind: string } = { readonly kind: string },
> {
  /** The config's `kind`, e.g. `grelu`. */
  readonly kind: A["kind"];
  /** The formula in one line, for `--help` and the docs. */
  readonly summary: string;
  /** Whether the network depends on g: a GradNet, rather than a baseline that ignores it. */
  readonly gradNet: boolean;
  /**
   * For a GradNet, the kind of the architecture it becomes at g = 1 (`grelu` becomes `plain`),
   * so that the report can compare it with that architecture trained from the start.
   */
  readonly late?: string;
  /** The config's other fields. */
  readonly options: readonly ArchitectureOption[];
  /** The project's kernel that runs the layer on the wasm backend; null: tfjs ops. */
  readonly kernel: LayerKind | null;
  /** The name in figures and tables, e.g. `grelu-vp`, `plain-71`. */
  label(architecture: A, width: number): string;
  /** Builds one hidden layer. */
  layer(architecture: A, options: SquareLayerOptions): Layer;
  /** The configs that the tests build: together they cover every option. */
  readonly testCases: readonly A[];
}

/** The config type of a registry entry. */
export type ArchitectureOf<E> = E extends ArchitectureEntry<infer A> ? A : never;

const variancePreserving: ArchitectureOption = {
  name: "variancePreserving",
  type: "boolean",
  summary: "rescale so the mix keeps the second moment of its input (this project's)",
  required: false,
  default: false,
};

type GReluConfig<K extends "grelu" | "grelu-leaky"> = {
  readonly kind: K;
  readonly variancePreserving?: boolean;
};

const plain: ArchitectureEntry<{ readonly kind: "plain" }> = {
  kind: "plain",
  summary: "y = relu(xW + b)",
  gradNet: false,
  options: [],
  kernel: "relu",
  // The studies compare plain nets of two widths (equal units, equal parameters).
  label: (_, width) => `plain-${width}`,
  layer: (_, options) => plainLayer(options),
  testCases: [{ kind: "plain" }],
};

const highway: ArchitectureEntry<{ readonly kind: "highway"; readonly carryBias: number }> = {
  kind: "highway",
  summary: "y = relu(xW + b) T + x (1 - T), T = sigmoid(xW_T + b_T)",
  gradNet: false,
  options: [{
    name: "carryBias",
    type: "number",
    summary: "initial b_T (negative: the layer starts by carrying x)",
    required: true,
    default: -2,
  }],
  kernel: "highway",
  label: () => "highway",
  layer: (a, options) => highwayLayer({ ...options, carryBias: a.carryBias }),
  testCases: [{ kind: "highway", carryBias: -1 }],
};

const residual: ArchitectureEntry<{ readonly kind: "residual" }> = {
  kind: "residual",
  summary: "y = x + relu(xW + b)",
  gradNet: false,
  options: [],
  kernel: "residual",
  label: () => "residual",
  layer: (_, options) => residualLayer(options),
  testCases: [{ kind: "residual" }],
};

const rezero: ArchitectureEntry<{ readonly kind: "rezero" }> = {
  kind: "rezero",
  summary: "y = x + a relu(xW + b), a learnt scalar from 0 (Bachlechner et al. 2020)",
  gradNet: false,
  options: [],
  kernel: "rezero",
  label: () => "rezero",
  layer: (_, options) => rezeroLayer(options),
  testCases: [{ kind: "rezero" }],
};

const grelu: ArchitectureEntry<GReluConfig<"grelu">> = {
  kind: "grelu",
  summary: "y = g relu(xW + b) + (1 - g) x: the notebook's GReLU, identity to ReLU",
  gradNet: true,
  late: "plain",
  options: [variancePreserving],
  kernel: "grelu",
  label: (a) => a.variancePreserving ? "grelu-vp" : "grelu",
  layer: (a, options) => varianceAdjusted(a, gradualReluLayer(options)),
  testCases: [{ kind: "grelu" }, { kind: "grelu", variancePreserving: true }],
};

const greluLeaky: ArchitectureEntry<GReluConfig<"grelu-leaky">> = {
  kind: "grelu-leaky",
  summary: "y = g relu(u) + (1 - g) u, u = xW + b: the paper's GReLU, linear to ReLU",
  gradNet: true,
  late: "plain",
  options: [variancePreserving],
  kernel: "grelu-leaky",
  label: (a) => a.variancePreserving ? "grelu-leaky-vp" : "grelu-leaky",
  layer: (a, options) => varianceAdjusted(a, leakyGradualReluLayer(options)),
  testCases: [{ kind: "grelu-leaky" }, { kind: "grelu-leaky", variancePreserving: true }],
};

const gradualResidual: ArchitectureEntry<{ readonly kind: "gradual-residual" }> = {
  kind: "gradual-residual",
  summary:
    "y = x + g relu(xW + b): identity to residual, ReZero's scale scheduled (this project's)",
  gradNet: true,
  late: "residual",
  options: [],
  kernel: "rezero",
  label: () => "gradual-residual",
  layer: (_, options) => gradualResidualLayer(options),
  testCases: [{ kind: "gradual-residual" }],
};

const branchScaleOption = (fallback: string): ArchitectureOption => ({
  name: "scale",
  type: "number",
  summary: "the residual branch's (final) scale s",
  required: false,
  default: fallback,
  positive: true,
});

const scaledResidual: ArchitectureEntry<
  { readonly kind: "scaled-residual"; readonly scale?: number }
> = {
  kind: "scaled-residual",
  summary: "y = x + s relu(xW + b), s = 1/sqrt(hidden layers): the fair residual baseline",
  gradNet: false,
  options: [branchScaleOption("1/sqrt(hidden layers)")],
  kernel: "rezero",
  label: (a) => a.scale === undefined ? "scaled-residual" : `scaled-residual-${a.scale}`,
  layer: (a, options) => scaledResidualLayer({ ...options, scale: a.scale }),
  testCases: [{ kind: "scaled-residual" }, { kind: "scaled-residual", scale: 0.3 }],
};

const scaledGradualResidual: ArchitectureEntry<
  { readonly kind: "scaled-gradual-residual"; readonly scale?: number }
> = {
  kind: "scaled-gradual-residual",
  summary: "y = x + g s relu(xW + b): identity to the scaled residual layer (this project's)",
  gradNet: true,
  late: "scaled-residual",
  options: [branchScaleOption("1/sqrt(hidden layers)")],
  kernel: "rezero",
  label: (a) =>
    a.scale === undefined ? "scaled-gradual-residual" : `scaled-gradual-residual-${a.scale}`,
  layer: (a, options) => scaledGradualResidualLayer({ ...options, scale: a.scale }),
  testCases: [{ kind: "scaled-gradual-residual" }, {
    kind: "scaled-gradual-residual",
    scale: 0.3,
  }],
};

const progressiveResidual: ArchitectureEntry<
  { readonly kind: "progressive-residual"; readonly scale?: number }
> = {
  kind: "progressive-residual",
  summary: "hidden layer i of n turns from the identity into x + s relu(xW + b) at its own " +
    "g_i = clip(n g - i + 1, 0, 1): shallow to deep, one layer at a time (this project's)",
  gradNet: true,
  options: [branchScaleOption("1")],
  kernel: "rezero",
  label: (a) => a.scale === undefined ? "progressive-residual" : `progressive-residual-${a.scale}`,
  layer: (a, options) => progressiveResidualLayer({ ...options, scale: a.scale }),
  testCases: [{ kind: "progressive-residual" }, { kind: "progressive-residual", scale: 0.3 }],
};

const gradualRezero: ArchitectureEntry<
  { readonly kind: "gradual-rezero"; readonly scaleInit?: number }
> = {
  kind: "gradual-rezero",
  summary: "y = x + g a relu(xW + b), a learnt from 1: the gradual residual that becomes " +
    "ReZero once g = 1 (this project's)",
  gradNet: true,
  late: "rezero",
  options: [{
    name: "scaleInit",
    type: "number",
    summary: "the learnt scale a's initial value",
    required: false,
    default: 1,
  }],
  kernel: "rezero",
  label: (a) => a.scaleInit === undefined ? "gradual-rezero" : `gradual-rezero-${a.scaleInit}`,
  layer: (a, options) => gradualRezeroLayer({ ...options, scaleInit: a.scaleInit }),
  testCases: [{ kind: "gradual-rezero" }, { kind: "gradual-rezero", scaleInit: 0.5 }],
};

function varianceAdjusted<K extends "grelu" | "grelu-leaky">(a: GReluConfig<K>, layer: Layer) {
  return a.variancePreserving
    ? scaledLayer(layer, (g) => variancePreservingGain(a.kind, g))
    : layer;
}

/**
 * Every architecture, in the order of `--help` and the tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ARCHITECTURES } from "@gradnets/core";
 * assert(ARCHITECTURES.some((entry) => entry.kind === "gradual-residual" && entry.gradNet));
 * ```
 */
export const ARCHITECTURES = [
  grelu,
  greluLeaky,
  plain,
  highway,
  residual,
  rezero,
  scaledResidual,
  gradualResidual,
  scaledGradualResidual,
  progressiveResidual,
  gradualRezero,
] as const;

/**
 * The hidden layers of a model, as a config names them: `{ kind, ...options }` of one entry
 * of {@linkcode ARCHITECTURES}. (The input layer is always dense ReLU, the output layer dense
 * linear into softmax.)
 */
export type Architecture = ArchitectureOf<(typeof ARCHITECTURES)[number]>;

/** The architectures' kinds, e.g. for a command-line choice. */
export const ARCHITECTURE_KINDS: readonly Architecture["kind"][] = ARCHITECTURES.map((e) => e.kind);

/**
 * Every entry's test cases: configs that together build every architecture and option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ARCHITECTURE_TEST_CASES } from "@gradnets/core";
 * assert(ARCHITECTURE_TEST_CASES.some((a) => a.kind === "grelu" && a.variancePreserving));
 * ```
 */
export const ARCHITECTURE_TEST_CASES: readonly Architecture[] = ARCHITECTURES.flatMap((
  entry,
): readonly Architecture[] => entry.testCases);

const BY_KIND = new Map<string, ArchitectureEntry>(
  ARCHITECTURES.map((entry) => [entry.kind, entry as unknown as ArchitectureEntry]),
);

/**
 * The registry entry of an architecture kind, or undefined for an unknown one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architectureEntry } from "@gradnets/core";
 * assert(architectureEntry("highway")?.options[0].name === "carryBias");
 * assert(architectureEntry("toString") === undefined);
 * ```
 */
export function architectureEntry<K extends Architecture["kind"]>(
  kind: K,
): ArchitectureEntry<Extract<Architecture, { kind: K }>>;
export function architectureEntry(kind: string): ArchitectureEntry | undefined;
export function architectureEntry(kind: string): ArchitectureEntry | undefined {
  return BY_KIND.get(kind);
}

function entryOf(architecture: Architecture): ArchitectureEntry<Architecture> {
  const entry = BY_KIND.get(architecture.kind);
  if (!entry) throw new Error(`unknown architecture ${JSON.stringify(architecture.kind)}`);
  return entry as unknown as ArchitectureEntry<Architecture>;
}

/**
 * Whether an architecture is a GradNet, that is, whether its layers depend on g.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isGradNet } from "@gradnets/core";
 * assert(isGradNet({ kind: "grelu", variancePreserving: true }));
 * assert(!isGradNet({ kind: "rezero" })); // its scale is learnt, not scheduled
 * ```
 */
export function isGradNet(architecture: Architecture): boolean {
  return entryOf(architecture).gradNet;
}

/**
 * The name of an architecture in figures and tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architectureLabel } from "@gradnets/core";
 * assert.equal(architectureLabel({ kind: "grelu", variancePreserving: true }, 50), "grelu-vp");
 * assert.equal(architectureLabel({ kind: "plain" }, 71), "plain-71");
 * ```
 */
export function architectureLabel(architecture: Architecture, width: number): string {
  return entryOf(architecture).label(architecture, width);
}

/**
 * One hidden layer of an architecture.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hiddenLayer, Random, useBackend } from "@gradnets/core";
 * await useBackend("wasm");
 * const layer = hiddenLayer({ kind: "rezero" }, {
 *   name: "hidden1", width: 4, init: { kind: "he" }, biasInit: 0, random: new Random(1),
 * });
 * assert.deepEqual(layer.params.map((p) => p.name), ["W", "b", "alpha"]);
 * assert.equal(layer.kernel, "rezero");
 * ```
 */
export function hiddenLayer(architecture: Architecture, options: SquareLayerOptions): Layer {
  return entryOf(architecture).layer(architecture, options);
}

/**
 * The config of a kind with its required options at their defaults (what `--arch` gives).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultArchitecture } from "@gradnets/core";
 * assert.deepEqual(defaultArchitecture("highway"), { kind: "highway", carryBias: -2 });
 * assert.deepEqual(defaultArchitecture("grelu"), { kind: "grelu" });
 * ```
 */
export function defaultArchitecture(kind: Architecture["kind"]): Architecture {
  const entry = BY_KIND.get(kind)!;
  const fields = entry.options.filter((o) => o.required).map((o) => [o.name, o.default]);
  return { kind, ...Object.fromEntries(fields) } as Architecture;
}

/**
 * What is wrong with a config's `architecture` value, or undefined when it is valid: an object
 * with a known `kind` and, as its own fields, only that kind's options with values of their
 * types. Fields inherited from a prototype never count, and `__proto__` is a field like any other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateArchitecture } from "@gradnets/core";
 * assert.equal(validateArchitecture({ kind: "highway", carryBias: -2 }), undefined);
 * assert.match(validateArchitecture({ kind: "grelu", toString: 1 })!, /has no field toString/);
 * assert.match(validateArchitecture({ kind: "constructor" })!, /unknown architecture/);
 * ```
 */
export function validateArchitecture(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `architecture must be an object like {"kind": "grelu"}, got ${JSON.stringify(value)}`;
  }
  const fields = value as Record<string, unknown>;
  const kind = Object.hasOwn(fields, "kind") ? fields.kind : undefined;
  const entry = typeof kind === "string" ? BY_KIND.get(kind) : undefined;
  if (!entry) {
    return `unknown architecture ${JSON.stringify(kind)} (known: ${ARCHITECTURE_KINDS.join(", ")})`;
  }
  const names = new Set(entry.options.map((o) => o.name));
  const extra = Object.keys(fields).filter((key) => key !== "kind" && !names.has(key));
  if (extra.length > 0) return `architecture ${kind} has no field ${extra.join(", ")}`;
  for (const option of entry.options) {
    const present = Object.hasOwn(fields, option.name);
    const v = fields[option.name];
    if (!present) {
      if (option.required) return `${kind} ${option.name} is required (${option.summary})`;
    } else if (option.type === "number" && !(typeof v === "number" && Number.isFinite(v))) {
      return `${kind} ${option.name} must be a finite number, got ${v}`;
    } else if (option.positive && !((v as number) > 0)) {
      return `${kind} ${option.name} must be a number > 0, got ${v}`;
    } else if (option.type === "boolean" && typeof v !== "boolean") {
      return `${kind} ${option.name} must be true or false, got ${JSON.stringify(v)}`;
    }
  }
  return undefined;
}

/**
 * The registry as `--help` text: one line per architecture and option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesHelp } from "@gradnets/core";
 * assert.match(architecturesHelp(), /^ {2}highway +y = relu/m);
 * assert.match(architecturesHelp(), /carryBias/);
 * ```
 */
export function architecturesHelp(): string {
  const width = Math.max(...ARCHITECTURE_KINDS.map((k) => k.length)) + 2;
  return ARCHITECTURES.flatMap((entry) => [
    `  ${entry.kind.padEnd(width)}${entry.summary}${entry.gradNet ? " [GradNet]" : ""}`,
    ...entry.options.map((o) =>
      `  ${"".padEnd(width)}  ${o.name}: ${o.summary} (default ${o.default})`
    ),
  ]).join("\n");
}
