// The fake's stand-in for Heroku's router. An app's web URL is Heroku's `https://<name>-<hex>.
// herokuapp.com/` (the random suffix is why callers must read `web_url` from the API); requests to
// it reach this loopback host as `/<name>-<hex>/<path>` (web-routing.ts). An app answers as its scripted web answers say, one per request; without one, 200 while
// web dynos are up, naming the release they run in `X-Release-Version` when the app has the
// runtime-dyno-metadata feature (so HEROKU_RELEASE_VERSION is set), and Heroku's 503 otherwise.
import { deliveryOf } from "./delivery-state";
import type { WebAnswer } from "./delivery-types";
import { servingRelease } from "./dyno-state";
import type { OutsideAnswer, OutsideHost } from "./outside";
import type { AppRecord, FakeState } from "./state";

/** The header the fake's apps name their release in (docs/runbook.md, "Deploy"). */
export const RELEASE_HEADER = "X-Release-Version";

const PREFIX = /^\/([a-z][a-z0-9-]*-[0-9a-f]{12})(\/.*)?$/;

export function routerHost(state: () => FakeState): OutsideHost {
  const appOf = (url: URL): AppRecord | undefined => {
    const host = PREFIX.exec(url.pathname)?.[1];
    if (host === undefined) return undefined;
    return [...state().apps.values()].find(
      (r) => r.app.web_url !== null && new URL(r.app.web_url).hostname === `${host}.herokuapp.com`,
    );
  };
  return {
    route(method, url) {
      const m = PREFIX.exec(url.pathname);
      return m ? `${method} web:${m[2] ?? "/"}` : undefined;
    },
    answer(request) {
      const app = appOf(request.url);
      if (!app) return page(404, "There's nothing here, yet.");
      const delivery = deliveryOf(state());
      return answerWith(app, delivery.nextWebAnswer(app.app.id), state());
    },
  };
}

function answerWith(
  app: AppRecord,
  scripted: WebAnswer | undefined,
  state: FakeState,
): OutsideAnswer {
  const serving = servingRelease(deliveryOf(state), app.app.id);
  const metadata = app.features.some((f) => f.name === "runtime-dyno-metadata" && f.enabled);
  const known = serving && metadata ? `v${serving.version}` : null;
  if (!scripted && !serving) return page(503, "Application error (no web dyno is up).");
  const answer: WebAnswer = scripted ?? { status: 200 };
  const release = answer.release === undefined ? known : answer.release;
  const body =
    answer.body ??
    (answer.status === 200
      ? JSON.stringify({ status: "ok" })
      : `Application error ${answer.status}`);
  return {
    status: answer.status,
    headers: {
      "Content-Type":
        answer.status === 200 && answer.body === undefined ? "application/json" : "text/html",
      ...(release === null ? {} : { [RELEASE_HEADER]: release }),
      ...answer.headers,
    },
    body,
    delayMs: answer.latencyMs,
  };
}

function page(status: number, text: string): OutsideAnswer {
  return {
    status,
    headers: { "Content-Type": "text/html" },
    body: `<html><body>${text}</body></html>`,
  };
}
