/// <reference lib="dom" />
// Every generated report page, opened from file:// in a real browser (Debian's chromium driven by
// playwright-core, every request off file:// refused): the figures must render (marks are
// counted, since vegaEmbed's promise also resolves when data failed to load), with no console
// error and no failed request, and none wider than the page at 1400 px. On the headline, the
// error axis is logarithmic and a click on a legend entry dims the other architectures' lines;
// the learning curves' dropdown does the same.

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
    "every report page renders its figures in chromium from file:// offline, fits 1400 px, with no errors; legend and dropdown highlight",
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
    const profile = await Deno.makeTempDir();
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
    // Offline: the pages must need nothing but their own file.
    await browser.route(
      "**/*",
      (route) => route.request().url().startsWith("file://") ? route.continue() : route.abort(),
    );
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
        claims: "| claim | verdict |\n| --- | --- |\n| grelu | {{mnist/grelu vs plain-50/50}} |\n",
        experiments: REPORTED,
      });
      assert.deepEqual(pages.map((p) => p.split("/").at(-1)), [
        "index.html",
        "mnist.html",
        "fashion-mnist.html",
        "claims.html",
        "seed-notebook.html",
        "search.html",
        "bench.html",
      ]);
      // What each page must draw, at least: [figures, line paths, symbols, rects].
      const expected: Record<string, [number, number, number, number]> = {
        "index.html": [2, 2 * 2, 2 * 8, 0],
        "mnist.html": [3, 2 + 2 * 2 * 2, 8, 2 * 50 * 3],
        "fashion-mnist.html": [3, 2 + 2 * 2 * 2, 8, 2 * 50 * 3],
        "claims.html": [0, 0, 0, 0],
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
          const widths = await page.evaluate(() => ({
            page: document.documentElement.clientWidth,
            scroll: document.documentElement.scrollWidth,
            figures: [...document.querySelectorAll(".vega-embed svg.marks")].map((svg) =>
              Math.ceil(svg.getBoundingClientRect().right)
            ),
          }));
          assert.equal(widths.page, 1400);
          assert.ok(widths.scroll <= widths.page, `${name}: the page scrolls sideways`);
          for (const right of widths.figures) {
            assert.ok(right <= widths.page, `${name}: a figure ends at ${right} px`);
          }
          if (name === "index.html" || name === "mnist.html") {
            const id = "mnist-accuracy-vs-depth";
            const scale = await page.evaluate(
              (id: string) =>
                (globalThis as unknown as {
                  vegaViews: Record<string, { scale(name: string): { type: string } }>;
                }).vegaViews[id].scale("y").type,
              id,
            );
            assert.equal(scale, "log", "the headline's error axis is logarithmic");
            // Every architecture's line fully drawn; a click on the first legend entry leaves
            // its line opaque and dims the others.
            const lines = `#${id}-view .mark-line path`;
            const opacities = () =>
              page.$$eval(lines, (paths) => paths.map((p) => Number(getComputedStyle(p).opacity)));
            const before = await opacities();
            assert.ok(before.length >= 2 && before.every((o) => o === 1), `${before}`);
            await page.click(`#${id}-view .role-legend-symbol path`, { force: true });
            await page.waitForFunction(
              (selector: string) =>
                [...document.querySelectorAll(selector)].some((p) =>
                  Number(getComputedStyle(p).opacity) < 0.5
                ),
              lines,
              { timeout: 5_000 },
            );
            const after = await opacities();
            assert.equal(after.filter((o) => o === 1).length, 1, `highlighted: ${after}`);
            assert.ok(after.filter((o) => o < 0.5).length === after.length - 1, `${after}`);
          }
          if (name === "mnist.html") {
            // The learning curves' dropdown highlights one architecture in every panel.
            const id = "mnist-learning-curves";
            const lines = `#${id}-view .mark-line path`;
            const dimmed = () =>
              page.$$eval(
                lines,
                (paths) => paths.filter((p) => Number(getComputedStyle(p).opacity) < 0.5).length,
              );
            assert.equal(await dimmed(), 0);
            const select = `#${id}-controls select`;
            const option = await page.$eval(
              select,
              (s) => (s as HTMLSelectElement).options[1].value,
            );
            await page.selectOption(select, option);
            await page.waitForFunction(
              (selector: string) =>
                [...document.querySelectorAll(selector)].some((p) =>
                  Number(getComputedStyle(p).opacity) < 0.5
                ),
              lines,
              { timeout: 5_000 },
            );
            assert.ok((await dimmed()) > 0, "the other architectures are dimmed");
          }
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
      await Deno.remove(profile, { recursive: true });
    }
  },
});
