/**
 * Splits a stream of text into lines (the job of `@std/streams`' TextLineStream, which is on
 * JSR and so not reachable from this project's machines).
 *
 * @module
 */

/** A TransformStream from text chunks to lines, without their line endings. */
export class TextLineStream extends TransformStream<string, string> {
  /** Creates the stream. */
  constructor() {
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        for (const line of lines) controller.enqueue(line.replace(/\r$/, ""));
      },
      flush(controller) {
        if (buffer !== "") controller.enqueue(buffer);
      },
    });
  }
}
