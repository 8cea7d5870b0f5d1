import assert from "node:assert/strict";
import { TextLineStream } from "./_lines.ts";

Deno.test("TextLineStream: lines across chunks, CRLF endings, a last line without newline", async () => {
  const chunks = ['{"a":', '1}\r\n{"b"', ":2}\n\n", "tail"];
  const lines = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(new TextLineStream()),
  );
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', "", "tail"]);
});
