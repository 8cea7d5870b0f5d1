import assert from "node:assert/strict";
import { fillMarkers, MarkerError } from "./readme.ts";

const README = `# gradnets

<!-- report:headline -->
| architecture | depth 50 |
| --- | --- |
| grelu | 94.00 ± 0.10 |
<!-- /report:headline -->

A full rerun: <!-- report:compute -->1h<!-- /report:compute --> of training.
`;

Deno.test("fillMarkers replaces a stale number inside the markers and nothing else", () => {
  const headline = "| architecture | depth 50 |\n| --- | --- |\n| grelu | 94.48 ± 0.47 |\n";
  const filled = fillMarkers(README, { headline, compute: "12h37m" }, "README.md");
  assert.equal(
    filled,
    `# gradnets

<!-- report:headline -->
| architecture | depth 50 |
| --- | --- |
| grelu | 94.48 ± 0.47 |
<!-- /report:headline -->

A full rerun: <!-- report:compute -->
12h37m
<!-- /report:compute --> of training.
`,
  );
  assert.doesNotMatch(filled, /94\.00/);
  // Byte-stable: filling the filled text again changes nothing.
  assert.equal(fillMarkers(filled, { headline, compute: "12h37m" }), filled);
});

Deno.test("fillMarkers requires the markers of every block, balanced and once", () => {
  const blocks = { headline: "table", compute: "1h" };
  const fails = (text: string, message: RegExp) =>
    assert.throws(() => fillMarkers(text, blocks, "README.md"), (error: unknown) => {
      assert.ok(error instanceof MarkerError);
      assert.match(error.message, /^README\.md: <!-- report:\w+ -->: /);
      assert.match(error.message, message);
      return true;
    });
  fails("# gradnets\n", /report:headline -->: missing/);
  fails(README.replace("<!-- report:compute -->", ""), /report:compute -->: .*closes no open/);
  fails(README.replace("<!-- /report:compute -->", ""), /report:compute -->: never closed/);
  fails(
    README.replace("<!-- /report:headline -->", "") + "<!-- /report:headline -->\n",
    /report:compute -->: opened inside <!-- report:headline -->/,
  );
  fails(
    README + "<!-- report:compute -->x<!-- /report:compute -->\n",
    /report:compute -->: appears more than once/,
  );
  fails(
    README + "<!-- report:summary -->x<!-- /report:summary -->\n",
    /report:summary -->: no block of that name \(known: headline, compute\)/,
  );
  assert.throws(
    () => fillMarkers(README, { headline: "<!-- /report:headline -->", compute: "1h" }),
    /holds a report marker/,
  );
});
