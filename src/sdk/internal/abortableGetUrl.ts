/**
 * The HTTP transport of the SDK's JSON-RPC providers. ethers' own Node transport does not close the connection when
 * a request times out (it passes its AbortSignal under an option name Node does not know, and never destroys the
 * request), so a node that accepts connections and never answers kept the process alive for ever. This transport is
 * the project's HTTP transport (core/http.ts), bounded as a whole — connection, headers and body — by `req.timeout`, and
 * destroyed (its socket closed) when that passes or when ethers cancels it.
 */
import { makeError, type FetchCancelSignal, type FetchGetUrlFunc, type FetchRequest, type GetUrlResponse } from "ethers";
import { sendHttp } from "../../core/http.ts";
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
  try {
    const answer = await sendHttp(new URL(req.url), {
      method: req.method,
      headers: Object.fromEntries(req),
      body: req.body ? Buffer.from(req.body) : undefined,
      signal: AbortSignal.any([cancel.signal, deadline]),
    });
    // Node gives header names in lower case, repeated headers as arrays; ethers wants one string per name.
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, [value ?? ""].flat().join(", ")]));
    return {
      statusCode: answer.status,
      statusMessage: answer.statusMessage,
      headers,
      body: answer.body.length === 0 ? null : new Uint8Array(answer.body),
    };
  } catch (error) {
    if (deadline.aborted) {
      throw makeError(noAnswerWithin(req.timeout), "TIMEOUT", { operation: "request", reason: "timeout", info: { timeoutMs: req.timeout } });
    }
    if (cancel.signal.aborted) throw makeError("request cancelled", "CANCELLED");
    throw error;
  }
};
