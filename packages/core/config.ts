/**
 * The typed configuration of a training run, its validation, and its flat form for CSV rows.
 *
 * @module
 */

import { version as tfjsVersions } from "@tensorflow/tfjs";
import { createHash } from "node:crypto";
import { type Architecture, architectureLabel, validateArchitecture } from "./architectures.ts";
import type { BackendName } from "./backend.ts";
import { BACKENDS } from "./backend.ts";
import { type Initializer, validateInitializer } from "./initializers.ts";
import type { LossReduction } from "./losses.ts";
import {
  type LearningRateDecay,
  type OptimizerConfig,
  validateLearningRateDecay,
  validateOptimizer,
} from "./optimizers.ts";
import { type Schedule, validateSchedule } from "./schedules.ts";

/**
 * Dropout after every hidden layer: none, a constant rate, or the GradNets variant whose rate
 * rises with g, `rate * g`.
 */
export type DropoutConfig =
  | { readonly kind: "none" }
  | { readonly kind: "constant"; readonly rate: number }
  | { readonly kind: "gradual"; readonly rate: number };

/**
 * Batch normalisation before every hidden layer: none, always, or the GradNets variant
 * `(1 - g) * BN(x) + g * x` that is gone once g = 1.
 */
export type BatchNormConfig =
  | { readonly kind: "none" }
  | { readonly kind: "always" }
  | { readonly kind: "gradual" };

/** Everything that defines a training run. Two runs with equal configs give equal results. */
export interface RunConfig {
  /**
   * Dataset name, from the registry of `@gradnets/data`: `mnist`, `fashion-mnist`, or
   * `idx:<folder>` for MNIST-format files from another folder.
   */
  readonly dataset: string;
  /** Only the first `dataLimit` images of each split are used (quick checks); null: all. */
  readonly dataLimit: number | null;
  /** The hidden layers. */
  readonly architecture: Architecture;
  /** Number of layers, counted as the notebook does: input + hidden + output. At least 2. */
  readonly depth: number;
  /** Width of the input and hidden layers. */
  readonly width: number;
  /** Initialiser of the weight matrices. */
  readonly init: Initializer;
  /** Constant initial value of the biases. */
  readonly biasInit: number;
  /** How g moves with training progress. */
  readonly schedule: Schedule;
  /** The optimiser. */
  readonly optimizer: OptimizerConfig;
  /** Learning-rate decay over training. */
  readonly learningRateDecay: LearningRateDecay;
  /** Clip the global L2 norm of the gradients to this value; null: no clipping. */
  readonly gradientClip: number | null;
  /** L2 weight decay: `weightDecay * W` is added to each weight matrix's gradient. */
  readonly weightDecay: number;
  /** Dropout after the hidden layers. */
  readonly dropout: DropoutConfig;
  /** Batch normalisation before the hidden layers. */
  readonly batchNorm: BatchNormConfig;
  /** Mean (default) or sum (the notebook's) over the batch. */
  readonly lossReduction: LossReduction;
  /** Examples per step. */
  readonly batchSize: number;
  /** Epochs of training. */
  readonly epochs: number;
  /** Seed of all randomness: initialisation, shuffling, dropout. */
  readonly seed: number;
  /** tfjs backend. Results can differ between backends in the last bits, so it is recorded. */
  readonly backend: BackendName;
  /**
   * Measure test accuracy after each epoch (default true). Searches set it false, so that the
   * test split is read only by the final configurations.
   */
  readonly evaluateTest?: boolean;
}

/**
 * The 2015 notebook's configuration: 50 layers of width 50, GReLU, tau 10, batch 50,
 * 20 epochs, truncated normal std 0.1, bias 0.1, SGD 0.01 on the summed loss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG } from "@gradnets/core";
 * assert(NOTEBOOK_CONFIG.depth === 50 && NOTEBOOK_CONFIG.lossReduction === "sum");
 * ```
 */
export const NOTEBOOK_CONFIG: RunConfig = {
  dataset: "mnist",
  dataLimit: null,
  architecture: { kind: "grelu" },
  depth: 50,
  width: 50,
  init: { kind: "truncated-normal", std: 0.1 },
  biasInit: 0.1,
  schedule: { kind: "linear", tau: 10 },
  optimizer: { kind: "sgd", learningRate: 0.01 },
  learningRateDecay: { kind: "none" },
  gradientClip: null,
  weightDecay: 0,
  dropout: { kind: "none" },
  batchNorm: { kind: "none" },
  lossReduction: "sum",
  batchSize: 50,
  epochs: 20,
  seed: 1,
  backend: "wasm",
};

/**
 * A config that makes no sense: `field` names the offending field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError } from "@gradnets/core";
 * const error = new ConfigError("depth", "depth must be an integer >= 2, got 1");
 * assert(error.field === "depth");
 * ```
 */
export class ConfigError extends Error {
  /** The config field that is wrong. */
  readonly field: string;
  /** Creates the error. */
  constructor(field: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.field = field;
  }
}

/**
 * Checks every field of a config, and throws a {@linkcode ConfigError} naming the first bad one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG, validateConfig } from "@gradnets/core";
 * validateConfig(NOTEBOOK_CONFIG);
 * let field = "";
 * try { validateConfig({ ...NOTEBOOK_CONFIG, depth: 1 }); } catch (e) { field = (e as { field: string }).field; }
 * assert(field === "depth");
 * ```
 */
export function validateConfig(config: RunConfig): void {
  const fieldsProblem = ownFieldsProblem(config);
  if (fieldsProblem !== undefined) throw new ConfigError(...fieldsProblem);
  const positiveInteger = (field: keyof RunConfig, value: number, min = 1) => {
    if (!Number.isInteger(value) || value < min) {
      throw new ConfigError(field, `${field} must be an integer >= ${min}, got ${value}`);
    }
  };
  const architectureProblem = validateArchitecture(config.architecture);
  if (architectureProblem !== undefined) throw new ConfigError("architecture", architectureProblem);
  // Which names exist is the dataset registry's to say (@gradnets/data: checkDatasetName).
  if (typeof config.dataset !== "string" || config.dataset === "") {
    throw new ConfigError(
      "dataset",
      `dataset must be a dataset name, got ${JSON.stringify(config.dataset)}`,
    );
  }
  positiveInteger("depth", config.depth, 2);
  positiveInteger("width", config.width);
  positiveInteger("batchSize", config.batchSize);
  positiveInteger("epochs", config.epochs);
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffffffff) {
    throw new ConfigError("seed", `seed must be an integer in 0 .. 2^32-1, got ${config.seed}`);
  }
  if (config.dataLimit !== null) positiveInteger("dataLimit", config.dataLimit);
  if (!Number.isFinite(config.biasInit)) {
    throw new ConfigError("biasInit", `biasInit must be a finite number, got ${config.biasInit}`);
  }
  const problems: [keyof RunConfig, string | undefined][] = [
    ["init", validateInitializer(config.init)],
    ["schedule", validateSchedule(config.schedule)],
    ["optimizer", validateOptimizer(config.optimizer)],
    ["learningRateDecay", validateLearningRateDecay(config.learningRateDecay)],
    ["dropout", validateDropout(config.dropout)],
    ["batchNorm", validateBatchNorm(config.batchNorm)],
  ];
  for (const [field, problem] of problems) {
    if (problem !== undefined) throw new ConfigError(field, problem);
  }
  if (config.gradientClip !== null && !(config.gradientClip > 0)) {
    throw new ConfigError(
      "gradientClip",
      `gradientClip must be a number > 0 or null, got ${config.gradientClip}`,
    );
  }
  if (!(config.weightDecay >= 0) || !Number.isFinite(config.weightDecay)) {
    throw new ConfigError(
      "weightDecay",
      `weightDecay must be a number >= 0, got ${config.weightDecay}`,
    );
  }
  if (config.lossReduction !== "mean" && config.lossReduction !== "sum") {
    throw new ConfigError(
      "lossReduction",
      `lossReduction must be mean or sum, got ${JSON.stringify(config.lossReduction)}`,
    );
  }
  if (config.evaluateTest !== undefined && typeof config.evaluateTest !== "boolean") {
    throw new ConfigError(
      "evaluateTest",
      `evaluateTest must be true or false, got ${config.evaluateTest}`,
    );
  }
  if (!BACKENDS.includes(config.backend)) {
    throw new ConfigError(
      "backend",
      `unknown backend ${JSON.stringify(config.backend)} (known: ${BACKENDS.join(", ")})`,
    );
  }
}

/** The fields a config may have as its own (those of the notebook's config, and the optional). */
const CONFIG_FIELDS: readonly string[] = [...Object.keys(NOTEBOOK_CONFIG), "evaluateTest"];

/** The fields, beside `kind`, of each kind of the config's nested objects. */
const NESTED_FIELDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  init: { "truncated-normal": ["std"], he: [], glorot: [], orthogonal: ["gain"] },
  schedule: {
    linear: ["tau", "reversed"],
    window: ["start", "end", "reversed"],
    constant: ["value", "reversed"],
  },
  optimizer: {
    sgd: ["learningRate"],
    momentum: ["learningRate", "momentum"],
    adam: ["learningRate", "beta1", "beta2", "epsilon"],
    interpolate: ["from", "to"],
  },
  learningRateDecay: { none: [], exponential: ["rate", "epochs"] },
  dropout: { none: [], constant: ["rate"], gradual: ["rate"] },
  batchNorm: { none: [], always: [], gradual: [] },
};

/**
 * The config's own fields, at every level: only known names (never `__proto__`, `constructor`
 * or another name a prototype has), every required field present as its own, and in each nested
 * object an own `kind` and only that kind's fields. Returns [field, message] of the first
 * problem; the architecture's own fields are {@linkcode validateArchitecture}'s to check.
 */
function ownFieldsProblem(config: unknown): [string, string] | undefined {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return ["config", `a config must be an object, got ${JSON.stringify(config)}`];
  }
  const unknown = Object.keys(config).filter((key) => !CONFIG_FIELDS.includes(key));
  if (unknown.length > 0) {
    return [
      unknown[0],
      `unknown config field${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => JSON.stringify(k)).join(", ")
      } (known: ${CONFIG_FIELDS.join(", ")})`,
    ];
  }
  const missing = Object.keys(NOTEBOOK_CONFIG).find((key) => !Object.hasOwn(config, key));
  if (missing !== undefined) return [missing, `config field "${missing}" is missing`];
  const fields = config as Record<string, unknown>;
  for (const [field, kinds] of Object.entries(NESTED_FIELDS)) {
    const problem = nestedProblem(field, fields[field], kinds);
    if (problem !== undefined) return [field, problem];
    const value = fields[field] as Record<string, unknown>;
    if (field === "optimizer" && value.kind === "interpolate") {
      for (const side of ["from", "to"]) {
        const inner = nestedProblem(`optimizer.${side}`, value[side], kinds);
        if (inner !== undefined) return [field, inner];
      }
    }
  }
  return undefined;
}

function nestedProblem(
  field: string,
  value: unknown,
  kinds: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `${field} must be an object like {"kind": "${Object.keys(kinds)[0]}"}, got ${
      JSON.stringify(value)
    }`;
  }
  if (!Object.hasOwn(value, "kind")) return `${field} needs a "kind" field of its own`;
  const kind = (value as { kind: unknown }).kind;
  // An unknown kind is left to the field's own validator, which names the known ones.
  if (typeof kind !== "string" || !Object.hasOwn(kinds, kind)) return undefined;
  const extra = Object.keys(value).filter((key) => key !== "kind" && !kinds[kind].includes(key));
  return extra.length > 0 ? `${field} ${kind} has no field ${extra.join(", ")}` : undefined;
}

function validateDropout(dropout: DropoutConfig): string | undefined {
  switch (dropout?.kind) {
    case "none":
      return undefined;
    case "constant":
    case "gradual":
      return dropout.rate >= 0 && dropout.rate < 1
        ? undefined
        : `dropout rate must be in [0, 1), got ${dropout.rate}`;
    default:
      return `unknown dropout ${
        JSON.stringify((dropout as { kind: unknown })?.kind)
      } (known: none, constant, gradual)`;
  }
}

function validateBatchNorm(batchNorm: BatchNormConfig): string | undefined {
  return ["none", "always", "gradual"].includes(batchNorm?.kind)
    ? undefined
    : `unknown batch norm ${
      JSON.stringify((batchNorm as { kind: unknown })?.kind)
    } (known: none, always, gradual)`;
}

/** A config flattened to CSV columns: snake_case names, numbers and strings. */
export type ConfigColumns = Record<string, string | number | boolean | null>;

/**
 * Flattens a config into CSV columns. A nested union such as `schedule: {kind: "linear", tau: 10}`
 * becomes `schedule = linear, schedule_tau = 10`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configColumns, NOTEBOOK_CONFIG } from "@gradnets/core";
 * const columns = configColumns(NOTEBOOK_CONFIG);
 * assert(columns.schedule === "linear" && columns.schedule_tau === 10);
 * assert(columns.optimizer_learning_rate === 0.01 && columns.loss_reduction === "sum");
 * ```
 */
export function configColumns(config: RunConfig): ConfigColumns {
  const columns: ConfigColumns = {};
  const flatten = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        flatten(key === "kind" ? prefix : `${prefix}_${snakeCase(key)}`, inner);
      }
    } else {
      columns[prefix] = value as string | number | boolean | null;
    }
  };
  for (const [key, value] of Object.entries(config)) flatten(snakeCase(key), value);
  return columns;
}

/**
 * A run's label in figures and tables: its architecture's label, then `+gradual-bn` or
 * `+constant-dropout` where batch norm or dropout is on. Written into every table's `label`
 * column, so that readers and the analysis filter by it instead of rebuilding names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG, runLabel } from "@gradnets/core";
 * assert.equal(runLabel(NOTEBOOK_CONFIG), "grelu");
 * assert.equal(
 *   runLabel({ ...NOTEBOOK_CONFIG, architecture: { kind: "grelu-leaky" }, batchNorm: { kind: "gradual" } }),
 *   "grelu-leaky+gradual-bn",
 * );
 * ```
 */
export function runLabel(config: RunConfig): string {
  let label = architectureLabel(config.architecture, config.width);
  if (config.batchNorm.kind !== "none") label += `+${config.batchNorm.kind}-bn`;
  if (config.dropout.kind !== "none") label += `+${config.dropout.kind}-dropout`;
  return label;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The version of this code's numerics. Bump it in any change that alters what a seeded run
 * computes (a new operation order, another initialiser draw, a different loss): every run id
 * changes with it, so stored results of the old code are not mistaken for the new code's.
 * Version 2: the wasm backend runs the layers and optimisers on the GradNets kernels
 * (`kernels/gradnets.c`), whose sums differ from XNNPACK's in the last bits.
 * Version 3: engine-independent host math, so that a seeded run gives the same bits under every
 * JavaScript engine: the loss, its gradient, the Box-Muller initialisation, Adam's bias
 * correction and the learning-rate decay use `ieee_math.ts` instead of `Math.exp`, `Math.log`,
 * `Math.cos` and `**`; and the subnormal flush in the kernels (every value they write, and the
 * loss gradient, below 2^-60 in magnitude becomes 0; the highway gate's exp is clamped at -80).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NUMERICS_VERSION } from "@gradnets/core";
 * assert(Number.isInteger(NUMERICS_VERSION));
 * ```
 */
export const NUMERICS_VERSION = 3;

/**
 * A run's id: the first 12 hex digits of the SHA-256 of its config in canonical JSON (keys
 * sorted), together with {@linkcode NUMERICS_VERSION} and the tfjs version (the backend is a
 * config field). Equal configs share an id; any changed field gives a new one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NOTEBOOK_CONFIG, runId } from "@gradnets/core";
 * assert(runId(NOTEBOOK_CONFIG) === runId({ ...NOTEBOOK_CONFIG }));
 * assert(runId(NOTEBOOK_CONFIG) !== runId({ ...NOTEBOOK_CONFIG, seed: 2 }));
 * ```
 */
export function runId(config: RunConfig): string {
  const identity = { config, numerics: NUMERICS_VERSION, tfjs: tfjsVersions.tfjs };
  return createHash("sha256").update(canonicalJson(identity)).digest("hex").slice(0, 12);
}

/**
 * JSON with object keys sorted at every level: the same value always gives the same text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "@gradnets/core";
 * assert(canonicalJson({ b: 1, a: { d: 2, c: 3 } }) === '{"a":{"c":3,"d":2},"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}
