/**
 * The user's changes to the declared configs: `--arch`, `--depth`, ..., `--set PATH=VALUE` and
 * `--config FILE`. A changed config is a different run, with a different id.
 *
 * @module
 */

import {
  ARCHITECTURE_KINDS,
  BACKENDS,
  ConfigError,
  defaultArchitecture,
  INITIALIZERS,
  NOTEBOOK_CONFIG,
  type RunConfig,
  validateConfig,
} from "@gradnets/core";
import { choiceOption, integerOption, numberOption, UsageError } from "./cli.ts";

/** A change to a config. */
export type Override = (config: RunConfig) => RunConfig;

/** The user's config changes, in the order they apply: whole objects first, then fields. */
export function configOverrides(values: Record<string, unknown>): Override[] {
  const v = values as Record<string, string | undefined> & { set?: string[] };
  const out: Override[] = [];
  if (v.arch !== undefined) {
    const architecture = defaultArchitecture(choiceOption("arch", v.arch, ARCHITECTURE_KINDS));
    out.push((c) => ({ ...c, architecture }));
  }
  if (v.init !== undefined) {
    const kind = choiceOption("init", v.init, INITIALIZERS);
    const init = kind === "truncated-normal"
      ? { kind, std: 0.1 }
      : kind === "orthogonal"
      ? { kind, gain: 1 }
      : { kind };
    out.push((c) => ({ ...c, init }));
  }
  if (v.optimizer !== undefined) {
    const kind = choiceOption("optimizer", v.optimizer, ["sgd", "momentum", "adam"] as const);
    out.push((c) => {
      const learningRate = "learningRate" in c.optimizer ? c.optimizer.learningRate : 0.01;
      const optimizer = kind === "sgd"
        ? { kind, learningRate }
        : kind === "momentum"
        ? { kind, learningRate, momentum: 0.9 }
        : { kind, learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      return { ...c, optimizer };
    });
  }
  const field = <K extends keyof RunConfig>(key: K, value: RunConfig[K]) =>
    out.push((c) => ({ ...c, [key]: value }));
  if (v.depth !== undefined) field("depth", integerOption("depth", v.depth, 2));
  if (v.width !== undefined) field("width", integerOption("width", v.width, 1));
  if (v.tau !== undefined) {
    field("schedule", { kind: "linear", tau: numberOption("tau", v.tau, 0) });
  }
  if (v.epochs !== undefined) field("epochs", integerOption("epochs", v.epochs, 1));
  if (v.batch !== undefined) field("batchSize", integerOption("batch", v.batch, 1));
  if (v.loss !== undefined) {
    field("lossReduction", choiceOption("loss", v.loss, ["sum", "mean"] as const));
  }
  if (v.seed !== undefined) field("seed", integerOption("seed", v.seed, 0));
  if (v.backend !== undefined) field("backend", choiceOption("backend", v.backend, BACKENDS));
  if (v.lr !== undefined) {
    const learningRate = numberOption("lr", v.lr, 0, true);
    out.push((c) => {
      if (c.optimizer.kind === "interpolate") {
        throw new UsageError(
          "--lr is ambiguous for an interpolated optimiser: use --set optimizer.from.learningRate=...",
        );
      }
      return { ...c, optimizer: { ...c.optimizer, learningRate } };
    });
  }
  for (const assignment of v.set ?? []) out.push(setOverride(assignment));
  return out;
}

/** `--set path.to.field=value`: value parsed as JSON when it is JSON, else taken as a string. */
function setOverride(assignment: string): Override {
  const match = /^([A-Za-z][\w.]*)=(.*)$/s.exec(assignment);
  if (!match) throw new UsageError(`--set needs PATH=VALUE, got "${assignment}"`);
  const [, path, text] = match;
  const keys = path.split(".");
  // Own fields only: `in` would take toString, constructor and the like from the prototype.
  if (!Object.hasOwn(NOTEBOOK_CONFIG, keys[0]) && !OPTIONAL_FIELDS.includes(keys[0])) {
    throw new UsageError(
      `--set: unknown config field "${keys[0]}" (known: ${
        [...Object.keys(NOTEBOOK_CONFIG), ...OPTIONAL_FIELDS].join(", ")
      })`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return (config) => setPath(config, keys, value) as RunConfig;
}

function setPath(target: unknown, keys: string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const object = target !== null && typeof target === "object"
    ? target as Record<string, unknown>
    : {};
  return { ...object, [keys[0]]: setPath(object[keys[0]], keys.slice(1), value) };
}

/** Fields of RunConfig that the notebook's config leaves out. */
const OPTIONAL_FIELDS: readonly string[] = ["evaluateTest"] satisfies (keyof RunConfig)[];

export async function readConfigFile(path: string): Promise<RunConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) throw new UsageError(`--config ${path}: an empty list, no run to train`);
  return items.map((item, i) => {
    const where = Array.isArray(parsed) ? `--config ${path}: entry ${i}` : `--config ${path}`;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new UsageError(`${where} is not an object`);
    }
    // The notebook's config has every field but the optional ones, listed here. Own fields
    // only: `in` would take toString, constructor and the like from the prototype, and JSON's
    // "__proto__" is an own field that a merge would drop.
    const unknown = Object.keys(item).filter((key) =>
      !Object.hasOwn(NOTEBOOK_CONFIG, key) && !OPTIONAL_FIELDS.includes(key)
    );
    if (unknown.length > 0) {
      throw new UsageError(`${where} has unknown field ${unknown.join(", ")}`);
    }
    const config = { ...NOTEBOOK_CONFIG, ...item } as RunConfig;
    try {
      validateConfig(config);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`${where}: ${error.message}`);
      throw error;
    }
    return config;
  });
}
