// Errors of the file system where results go (disk full, read-only, no permission): they stop
// the command with one line, since every further run would fail to be stored the same way.

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
