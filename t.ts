import { readRuns, searchWinners, settingLabel } from "@gradnets/analysis";
const runs = await readRuns("results/search");
const w = searchWinners(runs);
for (const [label, r] of w) {
  const tried = runs.filter((x) => x.label === label).sort((a, b) =>
    (b.finalValidationAccuracy ?? 0) - (a.finalValidationAccuracy ?? 0)
  );
  console.log(
    label.padEnd(15),
    settingLabel(r).padEnd(32),
    r.finalValidationAccuracy,
    "| next:",
    tried.slice(1, 3).map((t) => `${settingLabel(t)} ${t.finalValidationAccuracy}`).join(" ; "),
    "| diverged",
    tried.filter((t) => t.status === "diverged").length,
  );
}
