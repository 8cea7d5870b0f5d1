/**
 * The training settings of the published studies, in one place.
 *
 * The search (experiments/search.ts) tries every combination of `SEARCH_SPACE` for every entry
 * of `ARCHITECTURE_ENTRIES` at depth 50 on MNIST, choosing on the validation split with the test
 * split unread. `CHOSEN` records the winner of each architecture; the report checks that it still
 * is the winner of the stored search tables. The depth study then runs every architecture with
 * its chosen settings, for 20 epochs, at every depth, seed and dataset.
 *
 * @module
 */

import {
  type Architecture,
  type BaseOptimizerConfig,
  NOTEBOOK_CONFIG,
  type RunConfig,
  type Schedule,
} from "@gradnets/core";

/** An architecture as the studies name it. */
export interface ArchitectureEntry {
  /** Name in figures and tables (also the key of `CHOSEN`). */
  readonly name: string;
  readonly architecture: Architecture;
  readonly width: number;
  /** True for GradNets: they depend on the schedule of g, which the search varies. */
  readonly gradnet: boolean;
}

/** The architectures of the studies: 5 baselines, the paper's two GReLU GradNets and our extension. */
export const ARCHITECTURE_ENTRIES: readonly ArchitectureEntry[] = [
  { name: "plain-71", architecture: { kind: "plain" }, width: 71, gradnet: false },
  { name: "plain-50", architecture: { kind: "plain" }, width: 50, gradnet: false },
  { name: "highway", architecture: { kind: "highway", carryBias: -2 }, width: 50, gradnet: false },
  { name: "residual", architecture: { kind: "residual" }, width: 50, gradnet: false },
  { name: "rezero", architecture: { kind: "rezero" }, width: 50, gradnet: false },
  { name: "grelu", architecture: { kind: "grelu" }, width: 50, gradnet: true },
  { name: "grelu-leaky", architecture: { kind: "grelu-leaky" }, width: 50, gradnet: true },
  {
    name: "grelu-vp",
    architecture: { kind: "grelu", variancePreserving: true },
    width: 50,
    gradnet: true,
  },
  {
    name: "grelu-leaky-vp",
    architecture: { kind: "grelu-leaky", variancePreserving: true },
    width: 50,
    gradnet: true,
  },
];

const adam = (learningRate: number): BaseOptimizerConfig => ({
  kind: "adam",
  learningRate,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
});
const momentum = (learningRate: number): BaseOptimizerConfig => ({
  kind: "momentum",
  learningRate,
  momentum: 0.9,
});

/** What the search varies. g rises linearly over the first `gradnetRamp` of training. */
export const SEARCH_SPACE = {
  optimizer: [momentum(0.01), momentum(0.003), adam(1e-3), adam(3e-4)],
  gradientClip: [null, 1],
  gradnetRamp: [0.25, 0.5, 1],
} as const;

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

/** The settings chosen by the search for each architecture (see the search's tables). */
export interface Chosen {
  readonly optimizer: BaseOptimizerConfig;
  readonly gradientClip: number | null;
  /** Ramp of g as a fraction of training (GradNets only). */
  readonly gradnetRamp: number;
}

/**
 * The search's choice per architecture: its best setting by validation accuracy
 * (results/search/runs.csv; reports/search.html shows every setting and checks these).
 */
export const CHOSEN: Readonly<Record<string, Chosen>> = {
  "plain-71": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.5 },
  "plain-50": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.5 },
  highway: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  residual: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  rezero: { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.5 },
  grelu: { optimizer: adam(3e-4), gradientClip: null, gradnetRamp: 0.25 },
  "grelu-leaky": { optimizer: adam(3e-4), gradientClip: 1, gradnetRamp: 0.25 },
  "grelu-vp": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.25 },
  "grelu-leaky-vp": { optimizer: adam(1e-3), gradientClip: 1, gradnetRamp: 0.25 },
};

/** A run of an architecture with given settings. */
export function configFor(
  entry: ArchitectureEntry,
  settings: Chosen,
  overrides: Partial<RunConfig>,
): RunConfig {
  return {
    ...BASE,
    architecture: entry.architecture,
    width: entry.width,
    optimizer: settings.optimizer,
    gradientClip: settings.gradientClip,
    // Baselines ignore g; one fixed schedule keeps their configs (and run ids) unique.
    schedule: ramp(entry.gradnet ? settings.gradnetRamp : 0.5),
    ...overrides,
  };
}

/**
 * The chosen setting of each architecture in the words of the search page
 * (`settingLabel` of @gradnets/analysis), so that the report can check it against the search.
 */
export function chosenLabels(): Map<string, string> {
  return new Map(ARCHITECTURE_ENTRIES.map((entry) => {
    const c = CHOSEN[entry.name];
    const clip = c.gradientClip === null ? ", no clip" : `, clip ${c.gradientClip}`;
    const ramp = entry.gradnet ? `, ramp ${c.gradnetRamp}` : "";
    return [entry.name, `${c.optimizer.kind} ${c.optimizer.learningRate}${clip}${ramp}`];
  }));
}
