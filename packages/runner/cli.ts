/**
 * What every experiment and script shares on the command line: parsing of typed option values
 * with clear messages, exit code 2 for bad input, and progress on stderr.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Bad input from the user (an option value, a data file): reported as `error: ...` with exit
 * code 2, never with a stack trace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "@gradnets/runner";
 * assert.equal(new UsageError("--depth must be an integer").name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What {@linkcode parseOptions} returns: node:util's parseArgs result for `options`. */
export type ParsedOptions<T extends NonNullable<ParseArgsConfig["options"]>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>
>;

/**
 * Parses `args` with node:util's parseArgs; unknown options become {@linkcode UsageError}s.
 * A leading `--` (what `deno task x -- --flag` passes through) is dropped, and a negative number
 * after a value option (`--lr -0.1`) is taken as its value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseOptions, UsageError } from "@gradnets/runner";
 * const { values } = parseOptions(["--", "--out", "x"], { out: { type: "string" } });
 * assert.equal(values.out, "x");
 * assert.throws(() => parseOptions(["--outt", "x"], { out: { type: "string" } }), UsageError);
 * // A negative number after a space is the option's value.
 * assert.equal(parseOptions(["--lr", "-0.1"], { lr: { type: "string" } }).values.lr, "-0.1");
 * ```
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  allowPositionals = false,
): ParsedOptions<T> {
  // `deno task x -- --flag` passes the "--" through; it is not an end-of-options marker here.
  const rest = withNegativeValues(args[0] === "--" ? args.slice(1) : args, options);
  try {
    return parseArgs({ args: rest, options, strict: true, allowPositionals });
  } catch (error) {
    const message = (error as Error).message;
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    throw new UsageError(
      ambiguous
        ? `${ambiguous[1]} needs a value; for one that starts with a dash, write ${
          ambiguous[1]
        }=VALUE`
        : message.replace(/\. To specify a positional.*$/s, ""),
    );
  }
}

/**
 * `--lr -0.1` as `--lr=-0.1`: a value option followed by a negative number takes it as its value
 * (parseArgs would take it for an option), so that the option's own check has the last word.
 */
function withNegativeValues(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = /^--([\w-]+)$/.exec(args[i])?.[1];
    const next = args[i + 1];
    if (
      name !== undefined && Object.hasOwn(options, name) && options[name].type === "string" &&
      next !== undefined && /^-(?:\d|\.\d|Infinity$)/.test(next)
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/**
 * An integer option, at least `min`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integerOption } from "@gradnets/runner";
 * assert.equal(integerOption("workers", "4", 1), 4);
 * assert.throws(() => integerOption("workers", "0", 1), /--workers must be an integer >= 1, got "0"/);
 * ```
 */
export function integerOption(name: string, text: string, min = Number.MIN_SAFE_INTEGER): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min) {
    throw new UsageError(
      `--${name} must be an integer${
        min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ""
      }, got "${text}"`,
    );
  }
  return value;
}

/**
 * A finite number option, with an optional lower bound (`exclusive` for > instead of >=).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberOption } from "@gradnets/runner";
 * assert.equal(numberOption("lr", "1e-3", 0, true), 0.001);
 * assert.throws(() => numberOption("lr", "0", 0, true), /--lr must be a number > 0, got "0"/);
 * ```
 */
export function numberOption(
  name: string,
  text: string,
  min = -Infinity,
  exclusive = false,
): number {
  const value = Number(text);
  const tooSmall = exclusive ? value <= min : value < min;
  if (text.trim() === "" || !Number.isFinite(value) || tooSmall) {
    const bound = min === -Infinity ? "" : ` ${exclusive ? ">" : ">="} ${min}`;
    throw new UsageError(`--${name} must be a number${bound}, got "${text}"`);
  }
  return value;
}

/**
 * A duration option in seconds, written as hours, minutes and seconds: `10m`, `90s`, `1h30m`,
 * `2.5m`; it must be more than zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { durationOption } from "@gradnets/runner";
 * assert.equal(durationOption("budget", "10m"), 600);
 * assert.equal(durationOption("budget", "1h30m"), 5400);
 * assert.throws(() => durationOption("budget", "10"), /--budget must be a duration like 10m/);
 * ```
 */
export function durationOption(name: string, text: string): number {
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(
    text.trim(),
  );
  const [hours, minutes, seconds] = (match?.slice(1) ?? []).map((part) => Number(part ?? 0));
  const total = 3600 * hours + 60 * minutes + seconds;
  if (!match || text.trim() === "" || !(total > 0)) {
    throw new UsageError(
      `--${name} must be a duration like 10m, 90s or 1h30m (more than zero), got "${text}"`,
    );
  }
  return total;
}

/**
 * An option that must be one of `choices`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choiceOption } from "@gradnets/runner";
 * assert.equal(choiceOption("loss", "sum", ["sum", "mean"]), "sum");
 * assert.throws(() => choiceOption("loss", "max", ["sum", "mean"]), /one of sum, mean/);
 * ```
 */
export function choiceOption<C extends string>(
  name: string,
  text: string,
  choices: readonly C[],
): C {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${text}"`);
  }
  return text as C;
}

/**
 * Runs a command's main function: known input errors print `error: <message>` and exit 2
 * (before any training when they come from options); anything else is a bug and keeps its stack.
 *
 * @example
 * ```ts
 * import { runMain } from "@gradnets/runner";
 * await runMain(async () => {
 *   // parse the options, then do the work; a UsageError thrown here exits 2 with one line
 * });
 * ```
 */
export async function runMain(
  main: () => Promise<void>,
  isInputError: (error: unknown) => boolean = () => false,
): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError || isInputError(error)) {
      console.error(`error: ${(error as Error).message}`);
      Deno.exit(2);
    }
    throw error;
  }
}

/**
 * Progress on stderr: a bar with an ETA redrawn in place on a terminal, otherwise a plain line
 * every `intervalSeconds`.
 *
 * @example
 * ```ts
 * import { Progress } from "@gradnets/runner";
 * const progress = new Progress(10);
 * progress.update(10, "runs 1/1 done");
 * progress.log("trained 1 run");
 * ```
 */
export class Progress {
  #total: number;
  #started = performance.now();
  #lastDraw = -Infinity;
  #tty = Deno.stderr.isTerminal();
  #interval: number;
  #encoder = new TextEncoder();

  /** A progress display for `total` units of work. */
  constructor(total: number, intervalSeconds = 5) {
    this.#total = total;
    this.#interval = intervalSeconds * 1000;
  }

  /** Reports `done` units and a short status; redraws at most 10 times a second. */
  update(done: number, status: string): void {
    const now = performance.now();
    if (now - this.#lastDraw < (this.#tty ? 100 : this.#interval) && done < this.#total) return;
    this.#lastDraw = now;
    const fraction = this.#total === 0 ? 1 : done / this.#total;
    const elapsed = (now - this.#started) / 1000;
    const eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : NaN;
    const percent = `${(100 * fraction).toFixed(1)}%`.padStart(6);
    const text = `${percent} ${status} elapsed ${formatDuration(elapsed)} ETA ${
      formatDuration(eta)
    }`;
    if (this.#tty) {
      const width = 24;
      const filled = Math.round(width * fraction);
      const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
      this.#write(`\r\x1b[2K${bar} ${text}`);
    } else {
      this.#write(`${text}\n`);
    }
  }

  /** Seconds since the display was created. */
  get elapsedSeconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** Ends the bar's line (on a terminal) and prints `message`. */
  log(message: string): void {
    this.#write(`${this.#tty ? "\r\x1b[2K" : ""}${message}\n`);
    this.#lastDraw = -Infinity;
  }

  #write(text: string): void {
    Deno.stderr.writeSync(this.#encoder.encode(text));
  }
}

/**
 * Seconds as `1h02m`, `3m05s` or `12s` (`?` for a time not known yet).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration } from "@gradnets/runner";
 * assert.equal(formatDuration(185), "3m05s");
 * assert.equal(formatDuration(3720), "1h02m");
 * assert.equal(formatDuration(NaN), "?");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
