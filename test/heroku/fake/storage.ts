// The fake's S3 and output streams. A source's `put_url` takes one PUT of the tarball as an S3
// presigned URL does: signed for PUT only, with an empty Content-Type (the signature covers it)
// and an explicit Content-Length (S3 refuses chunked uploads); `get_url` serves it back. Each
// output stream (build, release phase, log session) serves its scripted lines.
import { deliveryOf } from "./delivery-state";
import type { OutsideAnswer, OutsideHost, OutsideRequest } from "./outside";
import type { FakeState } from "./state";

const SOURCE = /^\/sources\/([0-9a-f-]+)\.tgz$/;
const STREAM = /^\/streams\/([0-9a-f-]+)$/;

function s3Error(status: number, code: string, message: string): OutsideAnswer {
  return {
    status,
    headers: { "Content-Type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}

export function storageHost(state: () => FakeState): OutsideHost {
  return {
    route(method, url) {
      if (SOURCE.test(url.pathname) && (method === "PUT" || method === "GET")) {
        return `${method} /sources/{source}`;
      }
      if (STREAM.test(url.pathname) && method === "GET") return "GET /streams/{stream}";
      return undefined;
    },
    answer(request, route) {
      const delivery = deliveryOf(state());
      if (route === "GET /streams/{stream}") {
        const script = delivery.streams.get(STREAM.exec(request.url.pathname)![1]!);
        return script ? { stream: script } : s3Error(404, "NoSuchKey", "No such stream.");
      }
      if (route === undefined) return s3Error(404, "NoSuchKey", "The key does not exist.");
      const source = delivery.sources.get(SOURCE.exec(request.url.pathname)![1]!);
      if (!source) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
      const signature = request.url.searchParams.get("X-Amz-Signature");
      const wanted = request.method === "PUT" ? source.putSignature : source.getSignature;
      if (signature !== wanted) {
        return s3Error(403, "SignatureDoesNotMatch", "The signature is not valid for this method.");
      }
      return request.method === "PUT" ? upload(source, request) : download(source.bytes);
    },
  };
}

function upload(source: { bytes?: Buffer }, request: OutsideRequest): OutsideAnswer {
  const contentType = request.headers["content-type"];
  if (contentType !== undefined && contentType !== "") {
    return s3Error(
      403,
      "SignatureDoesNotMatch",
      `The URL was signed for an empty Content-Type, not ${contentType}.`,
    );
  }
  const length = request.headers["content-length"];
  if (length === undefined || request.headers["transfer-encoding"] !== undefined) {
    return s3Error(411, "MissingContentLength", "You must provide the Content-Length header.");
  }
  source.bytes = request.body;
  return { status: 200, headers: { ETag: `"${request.body.length}"` }, body: "" };
}

function download(bytes: Buffer | undefined): OutsideAnswer {
  if (!bytes) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
  return { status: 200, headers: { "Content-Type": "application/octet-stream" }, body: bytes };
}
