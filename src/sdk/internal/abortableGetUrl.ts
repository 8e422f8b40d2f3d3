/**
 * The HTTP transport of the SDK's JSON-RPC providers. ethers' own Node transport does not close the connection when
 * a request times out (it passes its AbortSignal under an option name Node does not know, and never destroys the
 * request), so a node that accepts connections and never answers kept the process alive for ever. This transport is
 * the same Node `http` / `https` request, bounded as a whole — connection, headers and body — by `req.timeout`, and
 * destroyed (its socket closed) when that passes or when ethers cancels it.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { gunzipSync } from "node:zlib";
import { makeError, type FetchCancelSignal, type FetchGetUrlFunc, type FetchRequest, type GetUrlResponse } from "ethers";
import { noAnswerWithin } from "../../core/timeouts.ts";

/**
 * Sends an ethers {@link FetchRequest}; rejects with an ethers `TIMEOUT` error (its `info.timeoutMs` the limit) when
 * no complete answer came within `req.timeout` ms, and with `CANCELLED` when ethers cancels it.
 *
 * @example
 * const request = new FetchRequest(url);
 * request.getUrlFunc = abortableGetUrl;
 */
export const abortableGetUrl: FetchGetUrlFunc = async (req: FetchRequest, signal?: FetchCancelSignal): Promise<GetUrlResponse> => {
  const cancel = new AbortController();
  signal?.addListener(() => cancel.abort());
  const deadline = AbortSignal.timeout(req.timeout);
  const url = new URL(req.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  try {
    return await new Promise<GetUrlResponse>((resolve, reject) => {
      const request = send(url, { method: req.method, headers: Object.fromEntries(req), signal: AbortSignal.any([cancel.signal, deadline]) });
      request.once("error", reject);
      request.once("response", (response) => readResponse(response).then(resolve, reject));
      request.end(req.body ? Buffer.from(req.body) : undefined);
    });
  } catch (error) {
    if (deadline.aborted) {
      throw makeError(noAnswerWithin(req.timeout), "TIMEOUT", { operation: "request", reason: "timeout", info: { timeoutMs: req.timeout } });
    }
    if (cancel.signal.aborted) throw makeError("request cancelled", "CANCELLED");
    throw error;
  }
};

/** The status, headers and (gunzipped) body of an answer. */
async function readResponse(response: IncomingMessage): Promise<GetUrlResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), [value ?? ""].flat().join(", ")]));
  const body = headers["content-encoding"] === "gzip" && raw.length > 0 ? gunzipSync(raw) : raw;
  return {
    statusCode: response.statusCode ?? 0,
    statusMessage: response.statusMessage ?? "",
    headers,
    body: body.length === 0 ? null : new Uint8Array(body),
  };
}
