// Claims on runs, so that processes sharing one results folder (shards, the same command run
// twice, machines on a shared file system) never train one run twice. A claim is a file
// `<id>.claim` beside the run files, created atomically (create-new fails if it exists); its
// holder renews it while training, so a claim whose file was not touched for CLAIM_SECONDS was
// left by a process that was killed, and expires.

import { join } from "node:path";

/** Seconds after which a claim that was not renewed expires. */
export const CLAIM_SECONDS = 120;
const RENEW_MS = 20_000;

/** The claims this process holds on runs of one store. */
export class Claims {
  #store: string;
  #held = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Claims on the runs of `store` (the folder of run files). */
  constructor(store: string) {
    this.#store = store;
  }

  #path(id: string): string {
    return join(this.#store, `${id}.claim`);
  }

  /** Claims run `id`: true when this process holds it now, false when another one does. */
  async take(id: string): Promise<boolean> {
    const path = this.#path(id);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await Deno.writeTextFile(
          path,
          JSON.stringify({ pid: Deno.pid, host: Deno.hostname(), since: new Date() }) + "\n",
          { createNew: true },
        );
        this.#held.add(id);
        this.#renew();
        return true;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      if (!await expired(path)) return false;
      // Moved aside atomically: of two processes taking over at once, one moves it; a live
      // claim moved by mistake (taken in between) is put back where it was.
      const aside = `${path}.expired-${crypto.randomUUID()}`;
      try {
        await Deno.rename(path, aside);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      if (!await expired(aside)) {
        await Deno.link(aside, path).catch(() => {});
        await Deno.remove(aside);
        return false;
      }
      await Deno.remove(aside);
    }
    return false;
  }

  /** Removes the expired claims of runs `ids` (stored runs whose claimant was killed). */
  async clearExpired(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if (this.#held.has(id)) continue;
      const path = this.#path(id);
      if (await Deno.lstat(path).then(() => true, () => false) && await expired(path)) {
        await Deno.remove(path).catch(() => {});
      }
    }
  }

  /** Gives up the claim on run `id` (when it is stored, or failed). */
  async release(id: string): Promise<void> {
    if (!this.#held.delete(id)) return;
    await Deno.remove(this.#path(id)).catch(() => {});
    if (this.#held.size === 0) this.#stop();
  }

  /** Gives up every claim at once (the process is stopping). */
  releaseAll(): void {
    for (const id of this.#held) {
      try {
        Deno.removeSync(this.#path(id));
      } catch {
        // gone already
      }
    }
    this.#held.clear();
    this.#stop();
  }

  #renew(): void {
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => {
      const now = new Date();
      for (const id of this.#held) Deno.utime(this.#path(id), now, now).catch(() => {});
    }, RENEW_MS);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Whether the claim at `path` is gone, was last renewed more than CLAIM_SECONDS ago, or was made
 * on this machine by a process that no longer runs (killed: a rerun need not wait for it).
 */
async function expired(path: string): Promise<boolean> {
  try {
    const { mtime } = await Deno.stat(path);
    if (mtime === null || Date.now() - mtime.getTime() > CLAIM_SECONDS * 1000) return true;
    const holder = JSON.parse(await Deno.readTextFile(path));
    return holder?.host === Deno.hostname() && Number.isInteger(holder?.pid) &&
      !await isRunning(holder.pid);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    // A claim being written, or not ours to read: taken as live until it expires.
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

/** Whether process `pid` runs on this machine; true when that cannot be told (no /proc). */
async function isRunning(pid: number): Promise<boolean> {
  if (pid === Deno.pid) return true;
  const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
  return !await exists("/proc/self") || await exists(`/proc/${pid}`);
}
