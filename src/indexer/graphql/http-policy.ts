/**
 * Who may talk to the GraphQL server, decided from a request's headers before anything else is read:
 * - Host: on a loopback bind only `localhost`, `127.0.0.1`, `[::1]` (any port) and the configured extra host names
 *   are served, so a web page cannot reach the local server through a DNS name it rebinds to 127.0.0.1;
 * - Origin: browsers name the page that sends a request; requests from the server's own pages (same origin) and from
 *   the configured CORS origins are served, others are refused. CORS headers go only to configured origins (or to
 *   every origin when `*` is configured), never by default;
 * - Content-Type: POST bodies must be JSON. Browsers send `text/plain` and form bodies cross-origin without asking
 *   first (no preflight); JSON always needs the preflight, which the CORS policy answers.
 *
 * @example
 * const policy = new HttpPolicy({ bindHost: "127.0.0.1", corsOrigins: ["https://dapp.example"], allowedHosts: [] });
 * policy.refusal(req); // undefined, or { status: 403, error: "…" }
 */
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

export interface HttpPolicyOptions {
  /** The interface the server listens on. */
  bindHost: string;
  /** Origins allowed to query from other sites (`https://dapp.example`), or `*` for any. */
  corsOrigins: readonly string[];
  /** Host names served on a loopback bind besides localhost, 127.0.0.1 and [::1]. */
  allowedHosts: readonly string[];
}

/** A request the policy refuses: the HTTP status and a one-line error saying what to do. */
export interface Refusal {
  status: number;
  error: string;
}

/** Thrown when a policy option is unusable (an origin that is not an origin). */
export class HttpPolicyError extends Error {
  override name = "HttpPolicyError";
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const CORS_ALLOW = { "Access-Control-Allow-Headers": "Content-Type, User-Agent", "Access-Control-Allow-Methods": "GET, OPTIONS, POST" };

/** Whether `host` (an interface address or name) is a loopback interface. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** `origin` as browsers send it (`scheme://host[:port]`), lowercased; throws for anything else except `*`. */
function normalizeOrigin(origin: string): string {
  if (origin === "*" || origin === "null") return origin;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new HttpPolicyError(`CORS origin ${JSON.stringify(origin)} is not an origin: give scheme://host[:port], e.g. https://dapp.example, or *`);
  }
  if (url.origin === "null" || url.origin !== origin.replace(/\/$/, "").toLowerCase()) {
    throw new HttpPolicyError(`CORS origin ${JSON.stringify(origin)} is not an origin: give scheme://host[:port] without a path, e.g. https://dapp.example`);
  }
  return url.origin;
}

/** The host name of a Host header value (`example.com:8000` → `example.com`, `[::1]:80` → `[::1]`). */
function hostName(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export class HttpPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  /** Host names served, or null when any is (not a loopback bind). */
  private readonly hosts: ReadonlySet<string> | null;

  /** @throws HttpPolicyError for a CORS origin that is not an origin. */
  constructor(options: HttpPolicyOptions) {
    const origins = options.corsOrigins.map(normalizeOrigin);
    this.anyOrigin = origins.includes("*");
    this.origins = new Set(origins);
    const bind = options.bindHost.includes(":") && !options.bindHost.startsWith("[") ? `[${options.bindHost}]` : options.bindHost;
    this.hosts = isLoopback(options.bindHost)
      ? new Set([...LOOPBACK_NAMES, bind, ...options.allowedHosts].map((h) => h.toLowerCase()))
      : null;
  }

  /** Why the request must not be served (foreign Host or Origin), or undefined when it may be. */
  refusal(headers: IncomingHttpHeaders): Refusal | undefined {
    const host = headers.host ?? "";
    if (this.hosts) {
      const name = hostName(host);
      if (name === undefined || !this.hosts.has(name)) {
        return {
          status: 403,
          error: `Host ${JSON.stringify(host)} is not served: this server listens on a loopback address; use http://localhost or http://127.0.0.1, or start it with --allowed-host ${name ?? "<name>"}`,
        };
      }
    }
    const origin = headers.origin;
    if (origin === undefined || this.originAllowed(origin, host)) return undefined;
    return { status: 403, error: `Origin ${origin} is not allowed to query this server; start it with --cors-origin ${origin} to allow it` };
  }

  /** CORS headers for a request from `origin` (none for same-origin requests or origins not configured). */
  corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
    const origin = headers.origin;
    if (origin === undefined || this.sameOrigin(origin, headers.host ?? "")) return {};
    if (this.anyOrigin) return { "Access-Control-Allow-Origin": "*", ...CORS_ALLOW };
    if (this.origins.has(origin.toLowerCase())) return { "Access-Control-Allow-Origin": origin, Vary: "Origin", ...CORS_ALLOW };
    return {};
  }

  private originAllowed(origin: string, host: string): boolean {
    return this.anyOrigin || this.origins.has(origin.toLowerCase()) || this.sameOrigin(origin, host);
  }

  private sameOrigin(origin: string, host: string): boolean {
    try {
      const url = new URL(origin);
      return url.protocol === "http:" && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  }
}

/** Whether a Content-Type header names JSON (`application/json`, parameters such as `charset` allowed). */
export function isJsonContentType(contentType: string): boolean {
  return contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
}
