// The report as a reader and a reviewer meet it: `deno task report` on fixture results, the
// findings' placeholders, the notice on partial results, and pages whose regenerated text diffs
// line by line (one new run must not rewrite megabytes of committed report).

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildReports,
  comparisonText,
  fillFindings,
  FindingsError,
  headlineComparisons,
  headlineGrid,
  readRuns,
  readTimings,
  summarizeByDepth,
} from "@gradnets/analysis";
import { formatDuration } from "@gradnets/runner";
import { EXPERIMENTS } from "../experiments/main.ts";
import { assertCleanError, runScript } from "./_command.ts";
import { REPORTED, writeFixtureResults } from "./_fixtures.ts";

const report = (...args: string[]) => runScript("scripts/report.ts", ...args);

async function fixture(): Promise<{ dir: string; results: string; reports: string }> {
  const dir = await Deno.makeTempDir();
  const results = join(dir, "results");
  await writeFixtureResults(results);
  return { dir, results, reports: join(dir, "reports") };
}

Deno.test("findings: placeholders take the numbers of the headline tables", async () => {
  const { dir, results, reports } = await fixture();
  try {
    const findings = join(dir, "findings.md");
    await Deno.writeTextFile(
      findings,
      "GReLU at 50: {{mnist/grelu/50}}; after the last epoch: {{mnist/grelu/50/final}}.\n",
    );
    const result = await report("--results", results, "--out", reports, "--findings", findings);
    assert.equal(result.code, 0, result.stderr);
    const summaries = summarizeByDepth(
      (await readRuns(join(results, "depth-study"))).filter((r) => r.dataset === "mnist"),
    );
    const row = (kind: "best-validation" | "final") =>
      headlineGrid(summaries, kind).rows.find((r) => r[0] === "grelu")!;
    const best = row("best-validation")[2], final = row("final")[2];
    assert.match(best, /^\d+\.\d\d ± \d+\.\d\d$/);
    const index = await Deno.readTextFile(join(reports, "index.html"));
    assert.ok(
      index.includes(`GReLU at 50: ${best}; after the last epoch: ${final}.`),
      "the filled sentence is on the index page",
    );
    assert.doesNotMatch(index, /\{\{/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findings: a placeholder naming no architecture exits 2, no page replaced", async () => {
  const { dir, results, reports } = await fixture();
  try {
    await Deno.mkdir(reports);
    await Deno.writeTextFile(join(reports, "index.html"), "previous report");
    const findings = join(dir, "findings.md");
    await Deno.writeTextFile(findings, "GReLU at 50: {{mnist/gerlu/50}}.\n");
    const result = await report("--results", results, "--out", reports, "--findings", findings);
    assertCleanError(result, /\{\{mnist\/gerlu\/50\}\}.*architecture label "gerlu"/);
    assert.equal(await Deno.readTextFile(join(reports, "index.html")), "previous report");
    assert.deepEqual([...Deno.readDirSync(reports)].map((e) => e.name), ["index.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findings: a run not stored yet reads n/a until the study is complete", async () => {
  const { dir, results } = await fixture();
  try {
    const runs = await readRuns(join(results, "depth-study"));
    // Without grelu at depth 10 on mnist: the label, depth and dataset exist, the cell does not.
    const partial = summarizeByDepth(
      runs.filter((r) => !(r.dataset === "mnist" && r.label === "grelu" && r.depth === 10)),
    );
    const text = "{{mnist/grelu/10}} and {{mnist/grelu/50/final}}";
    assert.match(fillFindings(text, partial), /^n\/a \(not trained yet\) and \d+\.\d\d ± /);
    assert.throws(
      () => fillFindings(text, partial, { complete: true }),
      (e) => e instanceof FindingsError && /no run of grelu at depth 10 on mnist/.test(e.message),
    );
    for (const bad of ["{{mnist/grelu/050}}", "{{mnist/grelu/5e1}}", "{{mnist/grelu}}"]) {
      assert.throws(() => fillFindings(bad, partial), FindingsError, bad);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --table prints both headline tables and the compute time", async () => {
  const { dir, results } = await fixture();
  try {
    const result = await report("--results", results, "--table");
    assert.equal(result.code, 0, result.stderr);
    for (const dataset of ["mnist", "fashion-mnist"]) {
      assert.match(result.stdout, new RegExp(`${dataset}: test accuracy \\(%\\) at the best`));
      assert.match(result.stdout, new RegExp(`${dataset}: test accuracy \\(%\\) after the last`));
    }
    assert.match(result.stdout, /\| architecture \| depth 10 \| depth 50 \|/);
    // 16 runs, 4 epochs (0..3) of 1 s each, but the diverged ones stop after epoch 2.
    const runs = await readRuns(join(results, "depth-study"));
    const seconds = runs.reduce((s, r) => s + (r.status === "diverged" ? 3 : 4), 0);
    assert.equal(seconds, 62);
    assert.match(result.stdout, /Compute, depth-study: 1m02s of training over 16 runs/);
    // Each trained experiment's line, and their sum (the fixture trains study v1 only).
    let total = 0, totalRuns = 0;
    const v1 = ["seed-notebook", "search", "depth-study"];
    const trained = EXPERIMENTS.filter((e) => v1.includes(e.name));
    for (const experiment of EXPERIMENTS) {
      const line = result.stdout.split("\n").find((l) =>
        l.startsWith(`Compute, ${experiment.name}:`)
      );
      assert.equal(line !== undefined, trained.includes(experiment), experiment.name);
    }
    for (const { name: experiment } of trained) {
      const timings = await readTimings(join(results, experiment));
      const line = result.stdout.split("\n").find((l) => l.startsWith(`Compute, ${experiment}:`));
      assert.ok(line, `a compute line for ${experiment}`);
      total += timings.reduce((s, t) => s + t.seconds, 0);
      totalRuns += new Set(timings.map((t) => t.runId)).size;
    }
    assert.ok(totalRuns > 16, "the notebook and search runs count too");
    assert.ok(
      result.stdout.includes(`Compute in all: ${formatDuration(total)} over ${totalRuns} runs.`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pages say when the study is incomplete, and only then", async () => {
  const { dir, results, reports } = await fixture();
  try {
    // The fixture's study has 16 runs: 16 of 20 declared, then the same 16 of 16.
    const manifest = (stored: number, declared = 20) =>
      JSON.stringify({
        experiment: "depth-study",
        runsDeclared: declared,
        runsStored: stored,
        numericsVersion: 2,
        trainedWith: [],
      });
    await Deno.writeTextFile(join(results, "depth-study", "manifest.json"), manifest(16));
    await buildReports({ results, out: reports, experiments: REPORTED });
    for (const page of ["index.html", "mnist.html"]) {
      const html = await Deno.readTextFile(join(reports, page));
      assert.match(html, /Partial results:<\/strong> 16 of the 20 declared runs/, page);
    }
    const svg = await Deno.readTextFile(join(reports, "figures", "mnist-accuracy-vs-depth.svg"));
    assert.match(svg, /Incomplete: 16 of 20 runs stored\./);
    await Deno.writeTextFile(join(results, "depth-study", "manifest.json"), manifest(16, 16));
    await buildReports({ results, out: reports, experiments: REPORTED });
    assert.doesNotMatch(await Deno.readTextFile(join(reports, "index.html")), /Partial results/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regenerated pages diff line by line: one run more changes few lines", async () => {
  const { dir, results, reports } = await fixture();
  try {
    const study = join(results, "depth-study");
    // The same study without its last run, then with it.
    const runsCsv = await Deno.readTextFile(join(study, "runs.csv"));
    const lines = runsCsv.trimEnd().split(/\r?\n/);
    const column = lines[0].split(",").indexOf("dataset");
    const cells = lines.at(-1)!.split(",");
    const [last, dataset] = [cells[0], cells[column]];
    const page = join(reports, `${dataset}.html`);
    await Deno.writeTextFile(join(study, "runs.csv"), lines.slice(0, -1).join("\r\n") + "\r\n");
    // Its epochs and gradient norms go too: the tables must agree on their runs.
    const others = ["epochs.csv", "gradient_norms.csv"];
    const texts = await Promise.all(others.map((f) => Deno.readTextFile(join(study, f))));
    for (const [i, file] of others.entries()) {
      const kept = texts[i].split(/(?<=\n)/).filter((line) => !line.startsWith(`${last},`));
      await Deno.writeTextFile(join(study, file), kept.join(""));
    }
    await buildReports({ results, out: reports, experiments: REPORTED });
    const before = await Deno.readTextFile(page);
    await Deno.writeTextFile(join(study, "runs.csv"), runsCsv);
    for (const [i, file] of others.entries()) await Deno.writeTextFile(join(study, file), texts[i]);
    await buildReports({ results, out: reports, experiments: REPORTED });
    const after = await Deno.readTextFile(page);
    assert.notEqual(before, after);
    // Lines of `after` that `before` lacks, as a diff would count them (a multiset difference).
    const counts = new Map<string, number>();
    for (const line of before.split("\n")) counts.set(line, (counts.get(line) ?? 0) + 1);
    let added = 0;
    for (const line of after.split("\n")) {
      const n = counts.get(line) ?? 0;
      if (n > 0) counts.set(line, n - 1);
      else added += line.length + 1;
    }
    // Measured against the page without the inlined vega bundles (fixed text of ~840 kB).
    const own = after.length - (after.indexOf("</script>") - after.indexOf("<script>"));
    assert.ok(
      added < own / 5,
      `adding run ${last} rewrote ${added} of the page's own ${own} characters`,
    );
    // Figures: one SVG element per line, not one line per document.
    const svg = await Deno.readTextFile(
      join(reports, "figures", `${dataset}-learning-curves.svg`),
    );
    assert.ok(svg.split("\n").length > 50);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the same tables give the same report, byte for byte", async () => {
  const { dir, results, reports } = await fixture();
  try {
    const snapshot = async () => {
      const files: Record<string, string> = {};
      for (const sub of ["", "figures", "data"]) {
        for (const entry of Deno.readDirSync(join(reports, sub))) {
          if (entry.isFile) {
            files[join(sub, entry.name)] = await Deno.readTextFile(join(reports, sub, entry.name));
          }
        }
      }
      return files;
    };
    const findings = "{{mnist/grelu/50}} and {{fashion-mnist/plain-50/50/final}}";
    await buildReports({ results, out: reports, findings, experiments: REPORTED });
    const first = await snapshot();
    await buildReports({ results, out: reports, findings, experiments: REPORTED });
    const second = await snapshot();
    assert.ok(Object.keys(first).length >= 15, Object.keys(first).join());
    assert.deepEqual(second, first);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the notebook page shows the signal table the experiment wrote, and none without it", async () => {
  const { dir, results, reports } = await fixture();
  try {
    await buildReports({ results, out: reports, experiments: REPORTED });
    const page = () => Deno.readTextFile(join(reports, "seed-notebook.html"));
    assert.match(await page(), /Why the interpolation loses the input/);
    const data = await Deno.readTextFile(join(reports, "data", "seed-notebook-signal.csv"));
    assert.equal(data, await Deno.readTextFile(join(results, "seed-notebook", "signal.csv")));
    await Deno.remove(join(results, "seed-notebook", "signal.csv"));
    await buildReports({ results, out: reports, experiments: REPORTED });
    assert.doesNotMatch(await page(), /Why the interpolation loses the input|seed-notebook-signal/);
    assert.match(await page(), /The 2015 notebook rerun: learning curves/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pages read each experiment's folder from the list they are given", async () => {
  const { dir, results, reports } = await fixture();
  try {
    await Deno.rename(join(results, "depth-study"), join(results, "depth"));
    const renamed = REPORTED.map((e) => e.page === "depth-study" ? { ...e, name: "depth" } : e);
    const pages = await buildReports({ results, out: reports, experiments: renamed });
    assert.ok(pages.some((p) => p.endsWith("mnist.html")), pages.join());
    assert.match(
      await Deno.readTextFile(join(reports, "index.html")),
      /manifest\.json of the depth runs/,
    );
    await assert.rejects(
      () => buildReports({ results, out: reports, experiments: [...renamed, renamed[0]] }),
      /both ask for the notebook page/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function copyFolder(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("a later depth study and a later search get pages of their own, in the nav", async () => {
  const { dir, results, reports } = await fixture();
  try {
    await buildReports({ results, out: reports, experiments: REPORTED });
    const firstMnist = await Deno.readTextFile(join(reports, "mnist.html"));
    await copyFolder(join(results, "depth-study"), join(results, "study-v2"));
    await copyFolder(join(results, "search"), join(results, "search-200"));
    const claims =
      "v1 {{mnist/grelu/50}}; v2 {{study-v2:mnist/grelu/50}}; {{runs:study-v2:mnist/grelu/50}}";
    const pages = await buildReports({ results, out: reports, experiments: REPORTED, claims });
    const names = pages.map((p) => p.slice(reports.length + 1));
    // The claims read the later study's numbers too: the copy's are the same as the first's.
    const filled = /v1 ([^;]+); v2 ([^;]+); <a href="\.\.\/results\/runs\//.exec(
      await Deno.readTextFile(join(reports, "claims.html")),
    );
    assert.ok(filled, "claims.html filled");
    assert.equal(filled[1], filled[2]);
    for (const page of ["study-v2-mnist.html", "study-v2-fashion-mnist.html", "search-200.html"]) {
      assert.ok(names.includes(page), names.join());
    }
    const index = await Deno.readTextFile(join(reports, "index.html"));
    assert.match(index, /<a href="study-v2-mnist\.html">Study v2: mnist<\/a>/);
    assert.match(index, /<a href="search-200\.html">Search at depth 200<\/a>/);
    const v2 = await Deno.readTextFile(join(reports, "study-v2-mnist.html"));
    assert.match(v2, /<title>GradNets Study v2: mnist<\/title>/);
    assert.match(v2, /depth-200 winner at depth 200/);
    assert.match(v2, /figures\/study-v2-mnist-accuracy-vs-depth\.svg/);
    assert.match(v2, /<table id="mnist-goal">/, "study v2 checks its goal");
    assert.doesNotMatch(firstMnist, /id="mnist-goal"/);
    // The first study's page is the same but for the navigation.
    const withoutNav = (html: string) => html.replace(/<nav>[\s\S]*?<\/nav>/, "");
    assert.equal(
      withoutNav(await Deno.readTextFile(join(reports, "mnist.html"))),
      withoutNav(firstMnist),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("README.md: its numbers are report --table's, and only the own reports/ rewrites it", async () => {
  const readmePath = new URL("../README.md", import.meta.url);
  const readme = await Deno.readTextFile(readmePath);
  // The committed blocks hold what --table prints for the committed results.
  const table = await report("--table");
  assert.equal(table.code, 0, table.stderr);
  const sections = table.stdout.split(/\n(?=\S+: test accuracy)/);
  const best = sections.filter((s) => /at the best validation epoch/.test(s));
  assert.ok(best.length >= 1);
  const headline = /<!-- report:headline -->\n([^]*?)\n<!-- \/report:headline -->/.exec(readme);
  assert.ok(headline, "README.md has the headline markers");
  assert.equal(headline[1], best[0].trimEnd());
  const compute = table.stdout.split("\n").find((l) => l.startsWith("Compute in all:"))!;
  assert.ok(readme.includes(`<!-- report:compute -->\n${compute}\n<!-- /report:compute -->`));
  // A report into another folder writes there only: README.md stays as it was.
  const { dir, results, reports } = await fixture();
  try {
    const result = await report("--results", results, "--out", reports);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await Deno.readTextFile(readmePath), readme);
    assert.doesNotMatch(result.stderr, /README/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claims: claims.md beside the pages becomes claims.html, in every page's nav, filled", async () => {
  const { dir, results, reports } = await fixture();
  try {
    await Deno.mkdir(reports);
    await Deno.writeTextFile(
      join(reports, "claims.md"),
      "GReLU against plain at 50: {{mnist/grelu vs plain-50/50}}. Runs: {{runs:mnist/grelu/50}}.\n",
    );
    const result = await report("--results", results, "--out", reports);
    assert.equal(result.code, 0, result.stderr);
    const runs = await readRuns(join(results, "depth-study"));
    const late = headlineComparisons(runs).find((c) =>
      c.dataset === "mnist" && c.depth === 50 && c.kind === "late"
    )!;
    assert.deepEqual([late.gradNet.label, late.baseline.label], ["grelu", "plain-50"]);
    const claims = await Deno.readTextFile(join(reports, "claims.html"));
    // marked escapes nothing in this text but the HTML of the links.
    assert.ok(claims.includes(comparisonText(late)), comparisonText(late));
    for (
      const run of runs.filter((r) =>
        r.dataset === "mnist" && r.label === "grelu" && r.depth === 50
      )
    ) {
      assert.ok(claims.includes(`href="../results/runs/${run.runId}.json"`), run.runId);
    }
    assert.doesNotMatch(claims, /\{\{/);
    for (const page of ["index.html", "mnist.html", "search.html", "claims.html"]) {
      const html = await Deno.readTextFile(join(reports, page));
      assert.match(html, /<nav>.*<a href="claims.html">The paper&#39;s claims<\/a>/, page);
    }
    // The depth-study page has both comparison tables, with this comparison's p-values.
    const mnist = await Deno.readTextFile(join(reports, "mnist.html"));
    assert.match(mnist, /<table id="mnist-comparisons-best">/);
    assert.match(mnist, /<table id="mnist-comparisons-late">/);
    assert.ok(mnist.includes(`${late.permutation!.extreme}/${late.permutation!.splits}`));
    // A bad placeholder in the claims stops the report; without claims.md there is no page.
    await Deno.writeTextFile(join(reports, "claims.md"), "{{mnist/grelu vs highway/50}}\n");
    assertCleanError(
      await report("--results", results, "--out", reports),
      /claims|architecture label "highway"/,
    );
    await Deno.remove(join(reports, "claims.md"));
    await Deno.remove(join(reports, "claims.html"));
    assert.equal((await report("--results", results, "--out", reports)).code, 0);
    assert.doesNotMatch(await Deno.readTextFile(join(reports, "index.html")), /claims\.html/);
    await assert.rejects(() => Deno.stat(join(reports, "claims.html")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
