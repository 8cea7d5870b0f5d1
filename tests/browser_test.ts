/// <reference lib="dom" />
// Every generated report page, opened from file:// in a real browser (Debian's chromium driven by
// playwright-core): the figures must render (marks are counted, since vegaEmbed's promise also
// resolves when data failed to load), with no console error and no failed request.

import assert from "node:assert/strict";
import { join } from "node:path";
import { buildReports } from "@gradnets/analysis";
import { REPORTED, writeFixtureResults } from "./_fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = await Deno.stat(CHROMIUM).then(() => true, () => false);
const inCi = Deno.env.get("CI") === "true";

if (!haveBrowser && !inCi) {
  console.warn(
    `browser test skipped: ${CHROMIUM} not found. Install it with \`sudo apt-get install -y chromium\` (Debian) to run it.`,
  );
}

Deno.test({
  name:
    "every report page renders its figures in chromium from file://, with no errors or failed requests",
  ignore: !haveBrowser && !inCi,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    assert.ok(
      haveBrowser,
      `CI=true but ${CHROMIUM} is missing: .ci/run must install Debian's chromium`,
    );
    const { chromium } = await import("playwright-core");
    const dir = await Deno.makeTempDir();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
    try {
      await writeFixtureResults(join(dir, "results"));
      // The speed page is built from the bench's CSV in the report folder: the committed one.
      await Deno.mkdir(join(dir, "reports"), { recursive: true });
      await Deno.copyFile(
        new URL("../reports/bench.csv", import.meta.url),
        join(dir, "reports", "bench.csv"),
      );
      const pages = await buildReports({
        results: join(dir, "results"),
        out: join(dir, "reports"),
        findings: "## Findings\n\nA *fixture*.",
        experiments: REPORTED,
      });
      assert.deepEqual(pages.map((p) => p.split("/").at(-1)), [
        "index.html",
        "mnist.html",
        "fashion-mnist.html",
        "seed-notebook.html",
        "search.html",
        "bench.html",
      ]);
      // What each page must draw, at least: [figures, line paths, symbols, rects].
      const expected: Record<string, [number, number, number, number]> = {
        "index.html": [2, 2 * 2, 2 * 8, 0],
        "mnist.html": [3, 2 + 2 * 2 * 2, 8, 2 * 50 * 3],
        "fashion-mnist.html": [3, 2 + 2 * 2 * 2, 8, 2 * 50 * 3],
        "seed-notebook.html": [2, 2, 0, 2 * 8 * 3],
        "search.html": [1, 0, 4 + 2, 0],
        "bench.html": [1, 2 * 6, 2 * 6 * 3, 0],
      };
      for (const path of pages) {
        const name = path.split("/").at(-1)!;
        await t.step(name, async () => {
          const page = await browser.newPage();
          const errors: string[] = [];
          const failed: string[] = [];
          page.on("console", (message) => {
            if (message.type() === "error") errors.push(message.text());
          });
          page.on("pageerror", (error) => errors.push(String(error)));
          page.on("requestfailed", (request) => failed.push(request.url()));
          await page.goto(`file://${path}`, { waitUntil: "load" });
          const [figures] = expected[name];
          await page.waitForFunction(
            (n: number) => document.querySelectorAll(".vega-embed svg.marks").length >= n,
            figures,
            { timeout: 20_000 },
          );
          const counts = await page.evaluate(() => {
            const count = (selector: string) => document.querySelectorAll(selector).length;
            return [
              count(".vega-embed svg.marks"),
              count(".vega-embed .mark-line path"),
              count(".vega-embed .mark-symbol path"),
              count(".vega-embed .mark-rect path"),
            ];
          });
          const [, lines, symbols, rects] = expected[name];
          assert.ok(
            counts[0] >= figures,
            `${name}: ${counts[0]} figures rendered, expected ${figures}`,
          );
          assert.ok(counts[1] >= lines, `${name}: ${counts[1]} line marks, expected >= ${lines}`);
          assert.ok(counts[2] >= symbols, `${name}: ${counts[2]} symbols, expected >= ${symbols}`);
          assert.ok(
            counts[3] >= rects,
            `${name}: ${counts[3]} heatmap cells, expected >= ${rects}`,
          );
          if (name === "index.html") {
            // Hovering a seed's point shows its architecture, depth, seed and accuracy.
            await page.hover(".vega-embed .mark-symbol path", { force: true });
            await page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5_000 });
            const tooltip = await page.textContent("#vg-tooltip-element");
            assert.match(
              tooltip ?? "",
              /architecture\s*\S+.*depth\s*\d+.*seed\s*\d+.*accuracy\s*[\d.]+%/s,
            );
          }
          assert.deepEqual(errors, [], `${name}: console errors`);
          assert.deepEqual(failed, [], `${name}: failed requests`);
          await page.close();
        });
      }
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
