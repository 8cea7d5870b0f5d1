import { readRuns, settingLabel } from "@gradnets/analysis";
const runs = await readRuns("results/search");
for (const t of runs.filter((r) => r.label.includes("+"))) {
  console.log(t.label, t.status, t.finalValidationAccuracy, settingLabel(t));
}
