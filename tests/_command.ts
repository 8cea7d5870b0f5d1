// Running a script of the repository as a user does: a fresh Deno process, short errors, no colour.

import assert from "node:assert/strict";

/** What a finished command printed and returned. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `deno run -A <script> ...args` and waits for it. `script` is relative to the repository. */
export function runScript(script: string, ...args: string[]): Promise<CommandResult> {
  return runScriptWith(Deno.execPath(), script, ...args);
}

/** {@linkcode runScript} under another Deno executable (another version, for the engine tests). */
export async function runScriptWith(
  deno: string,
  script: string,
  ...args: string[]
): Promise<CommandResult> {
  const output = await new Deno.Command(deno, {
    args: ["run", "-A", new URL(`../${script}`, import.meta.url).pathname, ...args],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Asserts exit code 2 with `message` on stderr and no stack trace: bad input, cleanly refused. */
export function assertCleanError(result: CommandResult, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
}
