import assert from "node:assert/strict";

// The committed gradnets.wasm must be what scripts/build_kernels.sh makes of gradnets.c, so that
// nobody runs a binary built from other source. Needs Debian's clang-14 and lld.

const script = new URL("../../../scripts/build_kernels.sh", import.meta.url).pathname;
const committed = new URL("./gradnets.wasm", import.meta.url);

function hasCompiler(): boolean {
  try {
    const clang = new Deno.Command("clang", { args: ["--version"] }).outputSync();
    const lld = new Deno.Command("wasm-ld", { args: ["--version"] }).outputSync();
    return clang.success && lld.success;
  } catch {
    return false;
  }
}

const compiler = hasCompiler();
if (!compiler) {
  console.warn(
    "kernels/build_test.ts: clang or wasm-ld not found, so the committed gradnets.wasm is not " +
      "rebuilt and compared (sudo apt-get install -y clang lld wabt)",
  );
}

Deno.test({
  name: "gradnets.wasm is the build of gradnets.c, byte for byte",
  ignore: !compiler,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const out = `${dir}/gradnets.wasm`;
      const build = await new Deno.Command("sh", { args: [script, out], stderr: "piped" })
        .output();
      assert.ok(build.success, new TextDecoder().decode(build.stderr));
      assert.deepEqual(await Deno.readFile(out), await Deno.readFile(committed));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
