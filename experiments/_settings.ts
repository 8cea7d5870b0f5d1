/**
 * The training settings of the published studies, in one place: the search of the science
 * experiment writes its findings here, and every study reads them.
 *
 * @module
 */

import { type Architecture, NOTEBOOK_CONFIG, type RunConfig } from "@gradnets/core";

/** The architectures of the depth study, each with its display name. */
export const STUDY_ARCHITECTURES: readonly {
  name: string;
  architecture: Architecture;
  width: number;
}[] = [
  { name: "plain-71", architecture: { kind: "plain" }, width: 71 },
  { name: "plain-50", architecture: { kind: "plain" }, width: 50 },
  { name: "highway", architecture: { kind: "highway", carryBias: -2 }, width: 50 },
  { name: "residual", architecture: { kind: "residual" }, width: 50 },
  { name: "rezero", architecture: { kind: "rezero" }, width: 50 },
  { name: "grelu", architecture: { kind: "grelu" }, width: 50 },
  { name: "grelu-leaky", architecture: { kind: "grelu-leaky" }, width: 50 },
];

/** The settings every study run starts from (20 epochs of 1100 steps, as in the notebook). */
export const STUDY_BASE: RunConfig = {
  ...NOTEBOOK_CONFIG,
  init: { kind: "he" },
  biasInit: 0,
  optimizer: { kind: "momentum", learningRate: 0.01, momentum: 0.9 },
  lossReduction: "mean",
  schedule: { kind: "linear", tau: 10 },
};

/** A study run: the base settings with this architecture, width, depth, dataset and seed. */
export function studyRun(
  entry: (typeof STUDY_ARCHITECTURES)[number],
  depth: number,
  dataset: string,
  seed: number,
  epochs = STUDY_BASE.epochs,
): RunConfig {
  return {
    ...STUDY_BASE,
    architecture: entry.architecture,
    width: entry.width,
    depth,
    dataset,
    seed,
    epochs,
  };
}
