// The fake's pipelines, couplings, review-app config, webhooks and log drains behave as Heroku's
// do; answers are checked against the schema each time.
import { WEBHOOK_SECRET_HEADER } from "./fake";
import type { App, AppWebhook, LogDrain, Pipeline } from "./fake";
import { failure, fake, heroku, useFakeHeroku } from "./fake-suite";

useFakeHeroku({ processTypes: ["web", "worker"], addonProvisionPolls: 2 });

describe("pipelines, couplings and review apps", () => {
  test("a pipeline is owned by a team (by id) or, by default, the user", async () => {
    const team = await heroku.get<{ id: string; name: string }>("/teams/acme");
    const owned = await heroku.post<Pipeline>("/pipelines", {
      name: "acme-web",
      owner: { id: team.id, type: "team" },
    });
    const mine = await heroku.post<Pipeline>("/pipelines", { name: "acme-solo" });
    expect(owned.owner).toEqual({ id: team.id, type: "team" });
    expect(mine.owner).toEqual({ id: fake.state.account.id, type: "user" });
    const stranger = { id: "01234567-89ab-4cde-8f01-0000000fffff", type: "team" };
    expect(
      (await failure(heroku.post("/pipelines", { name: "acme-x", owner: stranger }))).status,
    ).toBe(422);
    expect((await heroku.get<{ id: string }>("/account")).id).toBe(fake.state.account.id);
  });

  test("rename, list, delete (which removes its couplings)", async () => {
    const pipeline = await heroku.post<Pipeline>("/pipelines", { name: "acme-web" });
    await heroku.post("/apps", { name: "acme-staging" });
    await heroku.post("/pipeline-couplings", {
      app: "acme-staging",
      pipeline: pipeline.id,
      stage: "staging",
    });
    expect(
      (await heroku.patch<Pipeline>(`/pipelines/${pipeline.id}`, { name: "acme-site" })).name,
    ).toBe("acme-site");
    expect((await heroku.list<Pipeline>("/pipelines")).map((p) => p.name)).toEqual(["acme-site"]);
    await heroku.delete(`/pipelines/${pipeline.id}`);
    expect(fake.state.couplings.size).toBe(0);
  });

  test("couplings: create, list by pipeline and find by app, change stage, delete", async () => {
    const pipeline = await heroku.post<Pipeline>("/pipelines", { name: "acme-web" });
    const app = await heroku.post<App>("/apps", { name: "acme-staging" });
    const coupling = await heroku.post<{ id: string; stage: string }>("/pipeline-couplings", {
      app: "acme-staging",
      pipeline: pipeline.id,
      stage: "staging",
    });
    expect(coupling).toMatchObject({
      app: { id: app.id },
      pipeline: { id: pipeline.id },
      stage: "staging",
    });
    expect(await heroku.list(`/pipelines/${pipeline.id}/pipeline-couplings`)).toEqual([coupling]);
    expect(await heroku.get("/apps/acme-staging/pipeline-couplings")).toEqual(coupling);
    const again = await failure(
      heroku.post("/pipeline-couplings", {
        app: app.id,
        pipeline: pipeline.id,
        stage: "production",
      }),
    );
    expect(again.herokuMessage).toBe("acme-staging is already a member of a pipeline.");
    expect(
      (
        await heroku.patch<{ stage: string }>(`/pipeline-couplings/${coupling.id}`, {
          stage: "production",
        })
      ).stage,
    ).toBe("production");
    await heroku.delete(`/pipeline-couplings/${coupling.id}`);
    expect(await heroku.getOrUndefined("/apps/acme-staging/pipeline-couplings")).toBeUndefined();
  });

  test("review-app config is 404 until the pipeline is connected to GitHub", async () => {
    const pipeline = await heroku.post<Pipeline>("/pipelines", { name: "acme-web" });
    const path = `/pipelines/${pipeline.id}/review-app-config`;
    const refused = await failure(heroku.post(path, { repo: "acme/acme-web" }));
    expect([refused.status, refused.id]).toEqual([404, "not_found"]);
    fake.state.connectGitHub("acme-web", "acme/acme-web");
    expect(await heroku.getOrUndefined(path)).toBeUndefined();
    const wrongRepo = await failure(heroku.post(path, { repo: "acme/other" }));
    expect(wrongRepo.status).toBe(422);
    const enabled = await heroku.post(path, {
      repo: "acme/acme-web",
      automatic_review_apps: true,
      stale_days: 3,
    });
    expect(enabled).toMatchObject({
      pipeline_id: pipeline.id,
      automatic_review_apps: true,
      stale_days: 3,
      wait_for_ci: false,
    });
    expect((await failure(heroku.post(path, { repo: "acme/acme-web" }))).status).toBe(422);
    expect(await heroku.patch(path, { wait_for_ci: true })).toMatchObject({
      wait_for_ci: true,
      stale_days: 3,
    });
    await heroku.delete(path);
    expect(await heroku.getOrUndefined(path)).toBeUndefined();
  });
});

describe("webhooks and log drains", () => {
  beforeEach(() => heroku.post("/apps", { name: "acme-web" }));

  test("a webhook without a secret gets one, shown once in Heroku-Webhook-Secret", async () => {
    const made = await heroku.request<AppWebhook>("POST", "/apps/acme-web/webhooks", {
      body: { include: ["api:release"], level: "notify", url: "https://hooks.example.com/h" },
    });
    const secret = made.headers.get(WEBHOOK_SECRET_HEADER);
    expect(secret).toMatch(/^[0-9a-f]{60}$/);
    expect(fake.state.webhooks.get(made.body.id)!.secret).toBe(secret);
    expect(JSON.stringify(made.body)).not.toContain(secret);
    const info = await heroku.request("GET", `/apps/acme-web/webhooks/${made.body.id}`);
    expect(info.headers.get(WEBHOOK_SECRET_HEADER)).toBeNull();
    const given = await heroku.request("POST", "/apps/acme-web/webhooks", {
      body: {
        include: ["dyno"],
        level: "sync",
        url: "https://hooks.example.com/2",
        secret: "s3cret",
      },
    });
    expect(given.headers.get(WEBHOOK_SECRET_HEADER)).toBeNull();
  });

  test("webhooks: update, list, delete; unknown entities are 422", async () => {
    const hook = await heroku.post<AppWebhook>("/apps/acme-web/webhooks", {
      include: ["api:release"],
      level: "notify",
      url: "https://hooks.example.com/h",
    });
    const updated = await heroku.patch<AppWebhook>(`/apps/acme-web/webhooks/${hook.id}`, {
      include: ["api:release", "api:build"],
      secret: "rotated",
    });
    expect(updated.include).toEqual(["api:release", "api:build"]);
    expect(fake.state.webhooks.get(hook.id)!.secret).toBe("rotated");
    expect(await heroku.list("/apps/acme-web/webhooks")).toEqual([updated]);
    const bad = await failure(
      heroku.patch(`/apps/acme-web/webhooks/${hook.id}`, { include: ["api:everything"] }),
    );
    expect(bad.herokuMessage).toBe(
      "include: api:everything is not an entity you can subscribe to.",
    );
    await heroku.delete(`/apps/acme-web/webhooks/${hook.id}`);
    expect(await heroku.getOrUndefined(`/apps/acme-web/webhooks/${hook.id}`)).toBeUndefined();
  });

  test("log drains: create with a token, find by id, url or token, refuse duplicates, delete", async () => {
    const drain = await heroku.post<LogDrain>("/apps/acme-web/log-drains", {
      url: "syslog+tls://logs.example.com:6514",
    });
    expect(drain).toMatchObject({
      addon: null,
      app: { name: "acme-web" },
      url: "syslog+tls://logs.example.com:6514",
    });
    expect(drain.token).toMatch(/^d\.[0-9a-f-]{36}$/);
    for (const key of [drain.id, drain.token, encodeURIComponent(drain.url)]) {
      expect((await heroku.get<LogDrain>(`/apps/acme-web/log-drains/${key}`)).id).toBe(drain.id);
    }
    const twice = await failure(heroku.post("/apps/acme-web/log-drains", { url: drain.url }));
    expect(twice.herokuMessage).toBe("Url has already been taken");
    const ftp = await failure(
      heroku.post("/apps/acme-web/log-drains", { url: "ftp://logs.example.com" }),
    );
    expect(ftp.status).toBe(422);
    await heroku.delete(`/apps/acme-web/log-drains/${drain.id}`);
    expect(await heroku.list("/apps/acme-web/log-drains")).toEqual([]);
  });
});
