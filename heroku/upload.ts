// Uploads a source tarball to the `put_url` of `POST /sources`: an S3 presigned URL, so the
// request must match what was signed (PUT, an empty Content-Type) and S3 wants the length up
// front (no chunked body). A PUT of the same bytes is idempotent, so 429, 5xx, timeouts and
// dropped connections are retried with the client's backoff; any other answer is final.
import type { HerokuClient } from "./client";
import { createSource } from "./delivery";
import { fetchFailure } from "./fetch-failure";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, realSleep, RetryPolicy } from "./retry";

export interface UploadOptions {
  /** Milliseconds one attempt may take. @default 300000 (5 minutes) */
  readonly timeoutMs?: number;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** The upload failed: S3's answer (status and error code) or the network failure, and the tries. */
export class SourceUploadError extends Error {
  constructor(
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(
      `uploading the source tarball failed: ${reason} (${attempts} attempt${attempts === 1 ? "" : "s"})`,
    );
    this.name = "SourceUploadError";
  }
}

/** A new source (`POST /sources`) holding `bytes`: its `get_url` is what a build fetches. */
export async function uploadNewSource(
  client: HerokuClient,
  bytes: Buffer,
  options: UploadOptions = {},
): Promise<{ getUrl: string; attempts: number }> {
  const source = await createSource(client);
  const { attempts } = await uploadSource(source.source_blob.put_url, bytes, options);
  return { getUrl: source.source_blob.get_url, attempts };
}

/** PUTs `bytes` to `putUrl`; resolves once S3 answered 2xx. */
export async function uploadSource(
  putUrl: string,
  bytes: Buffer,
  options: UploadOptions = {},
): Promise<{ attempts: number }> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const start = now();
  for (let attempt = 1; ; attempt++) {
    const outcome = await putOnce(putUrl, bytes, options.timeoutMs ?? 300_000);
    if (outcome.ok) return { attempts: attempt };
    const delayMs = backoffDelayMs(attempt, policy, options.random ?? Math.random);
    const spent = now() - start + delayMs;
    if (!outcome.retryable || attempt >= policy.maxAttempts || spent > policy.maxTotalMs) {
      throw new SourceUploadError(outcome.reason, attempt);
    }
    await (options.sleep ?? realSleep)(delayMs);
  }
}

type PutOutcome = { ok: true } | { ok: false; retryable: boolean; reason: string };

async function putOnce(url: string, bytes: Buffer, timeoutMs: number): Promise<PutOutcome> {
  try {
    const response = await fetch(url, {
      method: "PUT",
      // The URL was signed for no content type; fetch would otherwise add none for a Buffer,
      // but saying it keeps the request what S3 expects whatever the body type.
      headers: { "Content-Type": "", "Content-Length": String(bytes.length) },
      body: bytes,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.ok) return { ok: true };
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    return {
      ok: false,
      retryable: response.status === 429 || response.status >= 500,
      reason: `S3 answered ${response.status}${code ? ` ${code}` : ""}`,
    };
  } catch (error) {
    return { ok: false, retryable: true, reason: `no answer (${fetchFailure(error).message})` };
  }
}
