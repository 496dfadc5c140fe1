// The fake's dynos (scripted rollouts with preboot), one-off dynos and their logs, pipeline
// promotions with their targets' release phases, and the router standing in for web URLs.
import type { App, Dyno, LogSession, PipelinePromotion, PromotionTarget, Release } from "./fake";
import { Faults, RELEASE_HEADER } from "./fake";
import { released, SHA_A, SHA_B, sequence, streamed } from "./delivery-support";
import { failure, fake, heroku, useFakeHeroku } from "./fake-suite";

useFakeHeroku({ processTypes: ["web", "worker"] });

let app: App;
beforeEach(async () => {
  app = await heroku.post<App>("/apps", { name: "acme-web-staging" });
});

/** The dynos as `name state version`, by name (Heroku lists them in id order). */
const dynos = async () =>
  (await heroku.list<Dyno>("/apps/acme-web-staging/dynos"))
    .map((d) => `${d.name} ${d.state} v${d.release.version}`)
    .sort();

describe("dynos", () => {
  test("a new app runs no dyno; a release starts its formation's dynos (quantity 0 runs none)", async () => {
    expect(await dynos()).toEqual([]);
    await heroku.patch("/apps/acme-web-staging/formation/web", {
      quantity: 2,
      dyno_size: { name: "standard-1x" },
    });
    await released(heroku, "acme-web-staging", SHA_A);
    expect(await dynos()).toEqual(["web.1 up v2", "web.2 up v2"]);
    const one = await heroku.get<Dyno>("/apps/acme-web-staging/dynos/web.2");
    expect(one).toMatchObject({
      type: "web",
      size: "Standard-1X",
      command: "npm start",
      attach_url: null,
    });
  });

  test("preboot: the old release's dynos for oldPolls GETs, then the new ones starting, then up", async () => {
    await released(heroku, "acme-web-staging", SHA_A);
    fake.delivery.script("acme-web-staging", { rollout: { oldPolls: 2, startingPolls: 1 } });
    await released(heroku, "acme-web-staging", SHA_B);
    const seen = [await dynos(), await dynos(), await dynos(), await dynos()];
    expect(seen).toEqual([
      ["web.1 up v2"],
      ["web.1 up v2"],
      ["web.1 starting v3"],
      ["web.1 up v3"],
    ]);
  });

  test("a release whose code does not boot leaves its dynos crashed", async () => {
    fake.delivery.script("acme-web-staging", { rollout: { finalState: "crashed" } });
    await released(heroku, "acme-web-staging", SHA_A);
    expect(await dynos()).toEqual(["web.1 crashed v2"]);
    expect((await failure(heroku.get("/apps/acme-web-staging/dynos/web.9"))).status).toBe(404);
  });
});

describe("one-off dynos (app.json's postdeploy) and log sessions", () => {
  test("a one-off dyno runs its command on the current release: starting, up, then gone; its log ends with the exit status", async () => {
    await released(heroku, "acme-web-staging", SHA_A);
    fake.delivery.script("acme-web-staging", {
      oneOff: { startingPolls: 1, upPolls: 1, exitStatus: 3, lines: ["seeding", "failed"] },
    });
    const dyno = await heroku.post<Dyno>("/apps/acme-web-staging/dynos", {
      command: "bin/postdeploy",
      attach: false,
      time_to_live: 600,
    });
    expect(dyno).toMatchObject({
      name: "run.1001",
      type: "run",
      state: "starting",
      release: { version: 2 },
    });
    expect(await dynos()).toEqual(["run.1001 starting v2", "web.1 up v2"]);
    const path = `/apps/acme-web-staging/dynos/${dyno.name}`;
    expect((await heroku.get<Dyno>(path)).state).toBe("starting");
    expect((await heroku.get<Dyno>(path)).state).toBe("up");
    expect((await failure(heroku.get(path))).status).toBe(404);
    const session = await heroku.post<LogSession>("/apps/acme-web-staging/log-sessions", {
      dyno_name: "run.1001",
      tail: true,
    });
    const lines = (await streamed(session.logplex_url)).map((l) => l.replace(/^\S+ /, ""));
    expect(lines).toEqual([
      "heroku[run.1001]: Starting process with command `bin/postdeploy`",
      "app[run.1001]: seeding",
      "app[run.1001]: failed",
      "heroku[run.1001]: Process exited with status 3",
      "heroku[run.1001]: State changed from up to complete",
    ]);
  });

  test("an attached one-off gets a rendezvous URL; an app with no slug cannot run one", async () => {
    expect(
      (await failure(heroku.post("/apps/acme-web-staging/dynos", { command: "bash" }))).status,
    ).toBe(422);
    await released(heroku, "acme-web-staging", SHA_A);
    const dyno = await heroku.post<Dyno>("/apps/acme-web-staging/dynos", {
      command: "bash",
      attach: true,
    });
    expect(dyno.attach_url).toMatch(
      /^rendezvous:\/\/rendezvous\.runtime\.heroku\.com:5000\/[0-9a-f]{12}$/,
    );
  });
});

describe("pipeline promotions", () => {
  let staging: Release;
  let production: App;
  let pipeline: string;
  beforeEach(async () => {
    production = await heroku.post<App>("/apps", { name: "acme-web" });
    pipeline = (await heroku.post<{ id: string }>("/pipelines", { name: "acme-web" })).id;
    for (const [name, stage] of [
      ["acme-web-staging", "staging"],
      ["acme-web", "production"],
    ]) {
      await heroku.post("/pipeline-couplings", { app: name, pipeline, stage });
    }
    staging = (await released(heroku, "acme-web-staging", SHA_A)).release;
  });

  const promote = (release = staging.id) =>
    heroku.post<PipelinePromotion>("/pipeline-promotions", {
      pipeline: { id: pipeline },
      source: { app: { id: app.id }, release: { id: release } },
      targets: [{ app: { id: production.id } }],
    });
  const targets = (id: string) =>
    heroku.list<PromotionTarget>(`/pipeline-promotions/${id}/promotion-targets`);

  test("the pinned release's slug reaches the target as a new release, through its release phase", async () => {
    fake.delivery.script("acme-web", { releasePhase: { polls: 1 }, promotion: { polls: 1 } });
    const promotion = await promote();
    expect(promotion).toMatchObject({ status: "pending", source: { release: { id: staging.id } } });
    expect((await targets(promotion.id)).map((t) => [t.status, t.release])).toEqual([
      ["pending", null],
    ]);
    const copied = await targets(promotion.id);
    expect(copied[0]!.status).toBe("pending");
    const release = await heroku.get<Release>(`/apps/acme-web/releases/${copied[0]!.release!.id}`);
    expect(release).toMatchObject({
      slug: staging.slug,
      description: "Promote acme-web-staging v2",
      status: "pending",
    });
    expect(
      (await heroku.get<PipelinePromotion>(`/pipeline-promotions/${promotion.id}`)).status,
    ).toBe("completed");
    expect((await targets(promotion.id)).map((t) => [t.status, t.error_message])).toEqual([
      ["succeeded", null],
    ]);
  });

  test("a failed release phase fails the target while the promotion says completed", async () => {
    fake.delivery.script("acme-web", {
      releasePhase: { outcome: "failed", polls: 0 },
      promotion: { polls: 0 },
    });
    const promotion = await promote();
    await targets(promotion.id);
    expect(
      (await heroku.get<PipelinePromotion>(`/pipeline-promotions/${promotion.id}`)).status,
    ).toBe("completed");
    expect((await targets(promotion.id)).map((t) => [t.status, t.error_message])).toEqual([
      ["failed", "The release phase of v2 failed."],
    ]);
  });

  test("a scripted promotion failure fails the target before any release", async () => {
    fake.delivery.script("acme-web", {
      promotion: { polls: 0, failure: "Slug is not compatible" },
    });
    const promotion = await promote();
    expect(
      (await targets(promotion.id)).map((t) => [t.status, t.error_message, t.release]),
    ).toEqual([["failed", "Slug is not compatible", null]]);
  });

  test("the promotion is refused for a release that did not succeed, an app outside the pipeline, or no target", async () => {
    fake.delivery.script("acme-web-staging", { build: { outcome: "failed" } });
    const v1 = (await heroku.list<Release>("/apps/acme-web-staging/releases"))[0]!;
    expect((await failure(promote(v1.id))).herokuMessage).toContain("has no slug");
    await heroku.post("/apps", { name: "acme-other" });
    const other = await heroku.get<App>("/apps/acme-other");
    const outside = heroku.post("/pipeline-promotions", {
      pipeline: { id: pipeline },
      source: { app: { id: app.id } },
      targets: [{ app: { id: other.id } }],
    });
    expect((await failure(outside)).herokuMessage).toBe(
      "The target app acme-other is not in this pipeline.",
    );
    const none = heroku.post("/pipeline-promotions", {
      pipeline: { id: pipeline },
      source: { app: { id: app.id } },
      targets: [],
    });
    expect((await failure(none)).status).toBe(422);
  });
});

describe("the router standing in for web URLs", () => {
  const get = async (path = "/health") => {
    const response = await fake.webFetch(`${app.web_url!.replace(/\/$/, "")}${path}`);
    return {
      status: response.status,
      release: response.headers.get(RELEASE_HEADER),
      text: await response.text(),
    };
  };

  test("an app with no release answers 503; once released, 200 naming the release only with runtime-dyno-metadata", async () => {
    expect((await get()).status).toBe(503);
    await released(heroku, "acme-web-staging", SHA_A);
    expect(await get()).toEqual({ status: 200, release: null, text: '{"status":"ok"}' });
    await heroku.patch("/apps/acme-web-staging/features/runtime-dyno-metadata", { enabled: true });
    expect((await get()).release).toBe("v2");
    expect(sequence(fake).filter((r) => r.startsWith("GET web:"))).toEqual([
      "GET web:/health",
      "GET web:/health",
      "GET web:/health",
    ]);
  });

  test("scripted answers come first, one per request: status, release named, body", async () => {
    await released(heroku, "acme-web-staging", SHA_A);
    fake.delivery.answerWeb(
      "acme-web-staging",
      { status: 500 },
      { status: 200, release: "v9" },
      {
        status: 200,
        body: '{"releaseVersion":"v2"}',
        headers: { "Content-Type": "application/json" },
      },
    );
    expect(await get()).toEqual({ status: 500, release: null, text: "Application error 500" });
    expect((await get()).release).toBe("v9");
    expect((await get()).text).toBe('{"releaseVersion":"v2"}');
    expect((await get()).status).toBe(200);
  });

  test("a crashed release answers 503; an unknown host 404; faults apply to web requests", async () => {
    fake.delivery.script("acme-web-staging", { rollout: { finalState: "crashed" } });
    await released(heroku, "acme-web-staging", SHA_A);
    expect((await get()).status).toBe(503);
    const unknown = await fake.webFetch("https://acme-gone-0123456789ab.herokuapp.com/health");
    expect(unknown.status).toBe(404);
    await unknown.text();
    fake.fault("GET web:/health", Faults.reset());
    await expect(get()).rejects.toThrow("fetch failed");
  });

  test("webFetch leaves other URLs alone", async () => {
    const response = await fake.webFetch(`${fake.url}/account`, {
      headers: {
        Accept: "application/vnd.heroku+json; version=3",
        Authorization: `Bearer ${fake.token}`,
      },
    });
    expect(response.status).toBe(200);
    await response.text();
  });
});
