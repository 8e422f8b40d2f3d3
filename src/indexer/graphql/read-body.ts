/**
 * Reads a request body up to a size limit, refusing before reading when `Content-Length` already says it is larger
 * and stopping as soon as more bytes arrive than allowed, so an oversized body is never held in memory.
 *
 * @example
 * const body = await readBody(req, 256 * 1024); // throws BodyTooLargeError for a larger body
 */
import type { IncomingMessage } from "node:http";

/** The body is larger than the limit; the message says which limit and how to raise it. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";

  constructor(readonly limit: number) {
    super(`Request body is larger than the limit of ${limit} bytes: send a smaller query, or start the node with a larger --max-body-bytes`);
  }
}

/**
 * The whole body of `req`, at most `maxBytes` long.
 *
 * @throws BodyTooLargeError when the body (declared or received) is longer; the rest of it is left unread.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        req.off("data", onData);
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
