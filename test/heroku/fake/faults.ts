// Scripted failures for the fake: what goes wrong, on which requests, once each, in order.

/**
 * One scripted failure. With `apply`, the request is carried out first (state changes) and only
 * its answer fails: "the app was created, but the response was a 503 / was lost".
 */
export type Fault =
  | {
      readonly kind: "status";
      readonly status: number;
      readonly id: string;
      readonly message: string;
      readonly retryAfterSeconds?: number;
      readonly apply?: boolean;
    }
  /** The connection is destroyed without an answer. */
  | { readonly kind: "reset"; readonly apply?: boolean }
  /** No answer at all, until the client gives up (times out) or the fake closes. */
  | { readonly kind: "stall"; readonly apply?: boolean }
  /** The request is handled normally, `ms` later. */
  | { readonly kind: "delay"; readonly ms: number; readonly apply?: boolean }
  /** A 200 whose body is cut-off JSON. */
  | { readonly kind: "malformed"; readonly apply?: boolean };

export const Faults = {
  /** 429 `rate_limit`, with `Retry-After: <seconds>` when given. */
  rateLimited(retryAfterSeconds?: number): Fault {
    return {
      kind: "status",
      status: 429,
      id: "rate_limit",
      message: "Your account reached the API rate limit. Please wait before making new requests.",
      retryAfterSeconds,
    };
  },
  /** A 5xx (500 by default). */
  serverError(status = 500, retryAfterSeconds?: number): Fault {
    return {
      kind: "status",
      status,
      id: status === 503 ? "service_unavailable" : "internal_server_error",
      message: "Internal server error.",
      retryAfterSeconds,
    };
  },
  unavailable(retryAfterSeconds?: number): Fault {
    return Faults.serverError(503, retryAfterSeconds);
  },
  unauthorized(): Fault {
    return {
      kind: "status",
      status: 401,
      id: "unauthorized",
      message: "Invalid credentials provided.",
    };
  },
  reset(): Fault {
    return { kind: "reset" };
  },
  stall(): Fault {
    return { kind: "stall" };
  },
  delay(ms: number): Fault {
    return { kind: "delay", ms };
  },
  malformed(): Fault {
    return { kind: "malformed" };
  },
  /** The request takes effect, then `fault` is what the client sees. */
  applyThen(fault: Fault): Fault {
    return { ...fault, apply: true };
  },
};

/** Where a fault applies: `METHOD path`, the method or path may be `*`; the path a route key or a real path. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
}

export function parseTarget(target: string): FaultTarget {
  const m = /^(\*|GET|POST|PATCH|PUT|DELETE)\s+(\S+)$/.exec(target.trim());
  if (!m) throw new Error(`fault target must be "METHOD /path" (or "* /path"), got: ${target}`);
  return { method: m[1]!, path: m[2]! };
}

/** Whether `target` names this request, by its route key (`/apps/{app}`) or its path. */
export function targets(
  target: FaultTarget,
  method: string,
  path: string,
  routeKey: string | undefined,
): boolean {
  if (target.method !== "*" && target.method !== method) return false;
  if (target.path === "*" || target.path === path) return true;
  return routeKey !== undefined && routeKey.slice(routeKey.indexOf(" ") + 1) === target.path;
}
