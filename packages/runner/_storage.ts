// Errors of the file system where results go (disk full, read-only, no permission): they stop
// the command with one line, since every further run would fail to be stored the same way.

import { dirname, resolve } from "node:path";

/** What went wrong, in one line, when `error` is a storage error; undefined for anything else. */
export function storageProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message.split("\n")[0];
  const storage = error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotADirectory || error instanceof Deno.errors.IsADirectory ||
    error instanceof Deno.errors.AlreadyExists ||
    /No space left|Read-only file system|Disk quota|Operation not permitted|Permission denied|os error (?:1|13|28|30|122)\)/
      .test(message);
  return storage ? message : undefined;
}

/**
 * Checks that `dir` is a folder this process can write into (creating it), by writing and
 * removing a small file; returns the problem in one line, or undefined.
 */
export async function unwritableProblem(dir: string): Promise<string | undefined> {
  const probe = `${dir}/.write-check-${crypto.randomUUID()}`;
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(probe, "x");
    await Deno.remove(probe);
    return undefined;
  } catch (error) {
    await Deno.remove(probe).catch(() => {});
    return storageProblem(error) ?? (error as Error).message.split("\n")[0];
  }
}

/** Bytes a run's file and its rows in the tables take, about (measured on the published runs). */
export function storedBytes(config: { depth: number; epochs: number }): number {
  return 1000 + config.epochs * (250 + config.depth * 60);
}

/**
 * Free bytes on the file system that holds (or will hold) `dir`, from `df`; undefined when
 * unknown.
 */
export async function freeBytes(dir: string): Promise<number | undefined> {
  // The nearest folder that exists: `dir` itself may not be created yet.
  let existing = resolve(dir);
  while (!await Deno.stat(existing).then(() => true, () => false)) {
    if (dirname(existing) === existing) return undefined;
    existing = dirname(existing);
  }
  dir = existing;
  try {
    const { code, stdout } = await new Deno.Command("df", { args: ["-Pk", dir], stderr: "null" })
      .output();
    if (code !== 0) return undefined;
    const free = Number(
      new TextDecoder().decode(stdout).trim().split("\n").at(-1)?.split(/\s+/)[3],
    );
    return Number.isFinite(free) ? free * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with storing the runs `todo` of `plan` in `dir`: not enough free space for their
 * files and for the tables rewritten beside them (atomically, so twice for a moment).
 */
export async function spaceProblem(
  dir: string,
  todo: readonly { config: { depth: number; epochs: number } }[],
  plan: readonly { config: { depth: number; epochs: number } }[],
): Promise<string | undefined> {
  if (todo.length === 0) return undefined;
  const sum = (runs: typeof todo) => runs.reduce((s, r) => s + storedBytes(r.config), 0);
  const needed = 2 * sum(todo) + sum(plan);
  const free = await freeBytes(dir);
  if (free === undefined || free >= needed) return undefined;
  const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} kB`;
  return `${todo.length} runs and their tables need about ${kb(needed)}, but ${dir} has ${
    kb(free)
  } free`;
}
