/**
 * The training settings of the published studies, in one place.
 *
 * The search (experiments/search.ts, which declares what it varies) tries its settings for every
 * entry of `ARCHITECTURE_ENTRIES` at depth 50 on MNIST, choosing on the validation split with the
 * test split unread. `FIRST_STAGE` and `CHOSEN` record the winner of each architecture, typed in
 * from the search's tables; the report checks that each is still the winner of the stored search
 * tables. The depth study then runs every architecture with its chosen settings, for 20 epochs,
 * at every depth, seed and dataset.
 *
 * @module
 */

import {
  type Architecture,
  type BaseOptimizerConfig,
  type BatchNormConfig,
  type DropoutConfig,
  type Initializer,
  isGradNet,
  NOTEBOOK_CONFIG,
  type OptimizerConfig,
  type RunConfig,
  type Schedule,
} from "@gradnets/core";

/** An architecture as the studies name it. */
export interface ArchitectureEntry {
  /** Name in figures and tables (also the key of `CHOSEN`). */
  readonly name: string;
  readonly architecture: Architecture;
  readonly width: number;
}

/**
 * The architectures of the studies: 5 baselines, the paper's two GReLU GradNets, their
 * variance-preserving versions, and the GradNet from the identity to the residual layer (the
 * last three are this project's extensions).
 */
export const ARCHITECTURE_ENTRIES: readonly ArchitectureEntry[] = [
  { name: "plain-71", architecture: { kind: "plain" }, width: 71 },
  { name: "plain-50", architecture: { kind: "plain" }, width: 50 },
  { name: "highway", architecture: { kind: "highway", carryBias: -2 }, width: 50 },
  { name: "residual", architecture: { kind: "residual" }, width: 50 },
  { name: "rezero", architecture: { kind: "rezero" }, width: 50 },
  { name: "grelu", architecture: { kind: "grelu" }, width: 50 },
  { name: "grelu-leaky", architecture: { kind: "grelu-leaky" }, width: 50 },
  {
    name: "grelu-vp",
    architecture: { kind: "grelu", variancePreserving: true },
    width: 50,
  },
  {
    name: "grelu-leaky-vp",
    architecture: { kind: "grelu-leaky", variancePreserving: true },
    width: 50,
  },
  {
    name: "gradual-residual",
    architecture: { kind: "gradual-residual" },
    width: 50,
  },
];

/**
 * The architectures study v2 adds (experiments/study-v2.ts): a fair residual baseline whose
 * branches start small by design (scaled by 1/sqrt(hidden layers), after Fixup and SkipInit),
 * and three GradNets built to close the gap to ReZero: the gradual residual whose branch rises
 * only to that scale, progressive deepening (each hidden layer turns from the identity into the
 * scaled residual layer in its own window, one after another: the paper's "shallow to deep"),
 * and the gradual residual that hands over to a learnt scale (a GradNet that becomes ReZero).
 */
export const V2_ENTRIES: readonly ArchitectureEntry[] = [
  { name: "scaled-residual", architecture: { kind: "scaled-residual" }, width: 50 },
  {
    name: "scaled-gradual-residual",
    architecture: { kind: "scaled-gradual-residual" },
    width: 50,
  },
  { name: "progressive-residual", architecture: { kind: "progressive-residual" }, width: 50 },
  { name: "gradual-rezero", architecture: { kind: "gradual-rezero" }, width: 50 },
];

/** Adam with the usual moments (0.9, 0.999) and epsilon 1e-7, at `learningRate`. */
export const adam = (learningRate: number): BaseOptimizerConfig => ({
  kind: "adam",
  learningRate,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
});
/** SGD with momentum 0.9 at `learningRate`. */
export const momentum = (learningRate: number): BaseOptimizerConfig => ({
  kind: "momentum",
  learningRate,
  momentum: 0.9,
});

/** The settings every run starts from: He initialisation, zero biases, mean loss, batch 50. */
export const BASE: RunConfig = {
  ...NOTEBOOK_CONFIG,
  init: { kind: "he" },
  biasInit: 0,
  lossReduction: "mean",
};

/** g rises linearly from 0 to 1 over the first `ramp` fraction of training. */
export function ramp(fraction: number): Schedule {
  return { kind: "window", start: 0, end: fraction };
}

/** The settings of an architecture in the studies: what the search varies, and what it refines. */
export interface Chosen {
  readonly optimizer: OptimizerConfig;
  readonly gradientClip: number | null;
  /** How long g takes to rise from 0 to 1, as a fraction of training (GradNets only). */
  readonly gradnetRamp: number;
  /** When g starts to rise, as a fraction of training (default 0). */
  readonly rampStart?: number;
  /** Weight initialisation (default He). */
  readonly init?: Initializer;
  /** The learning rate falls exponentially by this factor over the whole of training (default: no decay). */
  readonly decay?: number;
  /** Dropout after the hidden layers (default none). */
  readonly dropout?: DropoutConfig;
  /** Batch normalisation before the hidden layers (default none). */
  readonly batchNorm?: BatchNormConfig;
}

/** The first stage's winner per architecture (results/search: optimiser, clipping, ramp). */
export const FIRST_STAGE: Readonly<Record<string, Chosen>> = {
  "plain-71": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.5 },
  "plain-50": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.5 },
  highway: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  residual: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  rezero: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  grelu: { optimizer: adam(3e-4), gradientClip: null, gradnetRamp: 0.25 },
  "grelu-leaky": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.25 },
  "grelu-vp": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.25 },
  "grelu-leaky-vp": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.25 },
  "gradual-residual": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.25 },
  // Study v2's architectures (results/search-v2).
  "scaled-residual": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  "scaled-gradual-residual": { optimizer: adam(1e-3), gradientClip: null, gradnetRamp: 0.5 },
  "progressive-residual": { optimizer: adam(1e-3), gradientClip: null, gradnetRamp: 0.5 },
  "gradual-rezero": { optimizer: adam(1e-3), gradientClip: null, gradnetRamp: 1 },
};

/**
 * The settings of the depth study per architecture: the best of both search stages by
 * validation accuracy (reports/search.html shows every setting and checks these).
 */
export const CHOSEN: Readonly<Record<string, Chosen>> = {
  ...FIRST_STAGE,
  "grelu-leaky": { ...FIRST_STAGE["grelu-leaky"], batchNorm: { kind: "gradual" } },
  "grelu-vp": { ...FIRST_STAGE["grelu-vp"], decay: 0.1 },
  "grelu-leaky-vp": { ...FIRST_STAGE["grelu-leaky-vp"], decay: 0.1 },
};

/** The conditions of every search run: depth 50, 5 epochs, seed 1, MNIST, test split unread. */
export function searchConditions(quick: boolean): Partial<RunConfig> {
  return {
    depth: quick ? 20 : 50,
    epochs: quick ? 1 : 5,
    seed: 1,
    dataset: "mnist",
    evaluateTest: false,
  };
}

/** A run of an architecture with given settings. */
export function configFor(
  entry: ArchitectureEntry,
  settings: Chosen,
  overrides: Partial<RunConfig>,
): RunConfig {
  const epochs = overrides.epochs ?? BASE.epochs;
  const start = settings.rampStart ?? 0;
  return {
    ...BASE,
    architecture: entry.architecture,
    width: entry.width,
    init: settings.init ?? BASE.init,
    optimizer: settings.optimizer,
    gradientClip: settings.gradientClip,
    // Baselines ignore g; one fixed schedule keeps their configs (and run ids) unique.
    schedule: isGradNet(entry.architecture)
      ? { kind: "window", start, end: Math.min(1, start + settings.gradnetRamp) }
      : ramp(0.5),
    learningRateDecay: settings.decay === undefined
      ? BASE.learningRateDecay
      : { kind: "exponential", rate: settings.decay, epochs },
    dropout: settings.dropout ?? BASE.dropout,
    batchNorm: settings.batchNorm ?? BASE.batchNorm,
    ...overrides,
  };
}

/** The depth-50 setting of an architecture: its winner in CHOSEN. */
export function depth50Setting(entry: ArchitectureEntry): Chosen {
  const chosen = CHOSEN[entry.name];
  if (chosen === undefined) throw new TypeError(`no chosen setting for ${entry.name}`);
  return chosen;
}

/**
 * What the search at depth 200 (experiments/search-200.ts) tries, each a change to an
 * architecture's depth-50 setting: deep networks often want a smaller step, a tighter clip of the
 * gradient, or (GradNets) more time to grow.
 */
export const DEPTH_200_CHANGES = {
  "as at depth 50": (winner: Chosen): Chosen => winner,
  "a third of the learning rate": (winner: Chosen): Chosen => {
    if (winner.optimizer.kind === "interpolate") {
      throw new TypeError("a third of the learning rate: the winner interpolates two optimisers");
    }
    const optimizer = winner.optimizer as BaseOptimizerConfig;
    return { ...winner, optimizer: { ...optimizer, learningRate: optimizer.learningRate / 3 } };
  },
  "gradient clipped at 0.5": (winner: Chosen): Chosen => ({ ...winner, gradientClip: 0.5 }),
  "g rising twice as long": (winner: Chosen): Chosen => ({
    ...winner,
    gradnetRamp: Math.min(1, 2 * winner.gradnetRamp),
  }),
} as const;

/** A change of {@linkcode DEPTH_200_CHANGES}. */
export type Depth200Change = keyof typeof DEPTH_200_CHANGES;

/**
 * The depth-200 winners (results/search-200: highest validation accuracy after 5 epochs, the
 * test split unread) of the architectures whose best setting at depth 200 is not their depth-50
 * one; the others keep it (every residual setting diverged at depth 200: it keeps its own).
 */
export const CHOSEN_200: Readonly<Record<string, Depth200Change>> = {
  "plain-71": "a third of the learning rate",
  "plain-50": "a third of the learning rate",
  highway: "a third of the learning rate",
  rezero: "gradient clipped at 0.5",
  grelu: "g rising twice as long",
  "grelu-vp": "g rising twice as long",
  "gradual-residual": "g rising twice as long",
  "scaled-gradual-residual": "gradient clipped at 0.5",
  "progressive-residual": "gradient clipped at 0.5",
  "gradual-rezero": "gradient clipped at 0.5",
};

/** The depth-200 setting of an architecture: its winner at depth 200, else its depth-50 one. */
export function depth200Setting(entry: ArchitectureEntry): Chosen {
  const change = CHOSEN_200[entry.name];
  return DEPTH_200_CHANGES[change ?? "as at depth 50"](depth50Setting(entry));
}
