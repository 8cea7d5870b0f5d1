import assert from "node:assert/strict";
import { Random } from "./random.ts";

Deno.test("the same seed gives the same stream, another seed another", () => {
  const draw = (seed: number) =>
    Array.from({ length: 8 }, () => new Random(seed)).map((r) => r.nextUint32());
  const a = new Random(7), b = new Random(7), c = new Random(8);
  const sa = Array.from({ length: 100 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 100 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 100 }, () => c.nextUint32()));
  assert.equal(new Set(draw(7)).size, 1);
});

Deno.test("forks are independent of how much the parent has drawn", () => {
  const parent = new Random(3);
  const before = parent.fork("init").uniform();
  for (let i = 0; i < 10; i++) parent.uniform();
  assert.equal(parent.fork("init").uniform(), before);
  assert.notEqual(parent.fork("shuffle").uniform(), before);
});

Deno.test("uniform, normal and truncated normal have the right moments", () => {
  const random = new Random(11);
  const n = 200_000;
  let su = 0, sn = 0, sn2 = 0, st2 = 0, maxT = 0;
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = random.normal();
    sn += z;
    sn2 += z * z;
    const t = random.truncatedNormal(0.1);
    st2 += t * t;
    maxT = Math.max(maxT, Math.abs(t));
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
  // A normal truncated at 2 std keeps 0.8796 of its std.
  assert.ok(Math.abs(Math.sqrt(st2 / n) - 0.08796) < 0.001);
  assert.ok(maxT <= 0.2);
});
