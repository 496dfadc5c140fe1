// Pipeline (owners, adopt after an uncertain create, rename and transfer in place, drift),
// PipelineCoupling (stage in place, adopt, drift) and ReviewAppConfig (the manual GitHub step).
import {
  createPipelineCouplingProvider,
  createPipelineProvider,
} from "../../components/heroku/pipeline";
import {
  createReviewAppConfigProvider,
  reviewAppConfigBody,
} from "../../components/heroku/review-app-config";
import { Faults } from "./fake";
import { createApp, Driven, sent, testOptions, useFake } from "./providers";

const fake = useFake({ teams: ["acme", "globex"] });
const team = (name: string) => fake().state.findTeam(name)!.id;

describe("Pipeline", () => {
  let pipeline: Driven;
  beforeEach(() => {
    pipeline = new Driven(createPipelineProvider(testOptions(fake())));
  });

  test("a user's pipeline: the account is its owner", async () => {
    const outs = await pipeline.create({ name: "acme-web" });
    const account = fake().state.account.id;
    expect(sent(fake())).toEqual([
      "GET /account",
      `POST /pipelines {"name":"acme-web","owner":{"id":"${account}","type":"user"}}`,
    ]);
    expect(outs).toEqual({
      name: "acme-web",
      pipelineId: pipeline.id,
      ownerId: account,
      ownerType: "user",
    });
  });

  test("a team's pipeline: the team, found by name, is its owner", async () => {
    await pipeline.create({ name: "acme-web", team: "acme" });
    expect(sent(fake())).toEqual([
      "GET /teams/acme",
      `POST /pipelines {"name":"acme-web","owner":{"id":"${team("acme")}","type":"team"}}`,
    ]);
    expect(fake().state.pipeline("acme-web").pipeline.owner).toEqual({
      id: team("acme"),
      type: "team",
    });
  });

  test("after an uncertain create the pipeline is adopted when its owner matches", async () => {
    fake().fault("POST /pipelines", Faults.applyThen(Faults.unavailable()));
    await pipeline.create({ name: "acme-web", team: "acme" });
    expect(fake().state.pipelines.size).toBe(1);
    expect(pipeline.id).toBe(fake().state.pipeline("acme-web").pipeline.id);
    expect(sent(fake()).slice(2)).toEqual(["GET /pipelines/acme-web"]);
  });

  test("a pipeline under the name with another owner is refused", async () => {
    await pipeline.create({ name: "acme-web", team: "globex" });
    fake().fault("POST /pipelines", Faults.reset());
    const error = (await pipeline
      .create({ name: "acme-web", team: "acme" })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^Heroku create of pipeline "acme-web" had an uncertain outcome .* exists but does not match what slipway asked for/,
    );
  });

  test("rename and team change in place: PATCH, then a transfer", async () => {
    await pipeline.create({ name: "acme-web" });
    fake().clearRequests();
    expect(await pipeline.diff({ name: "acme-www", team: "acme" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(fake().requests).toHaveLength(0);
    await pipeline.update({ name: "acme-www", team: "acme" });
    expect(sent(fake())).toEqual([
      `PATCH /pipelines/${pipeline.id} {"name":"acme-www"}`,
      "GET /teams/acme",
      `POST /pipeline-transfers {"pipeline":{"id":"${pipeline.id}"},"new_owner":{"id":"${team("acme")}","type":"team"}}`,
    ]);
    expect(pipeline.outs).toMatchObject({
      name: "acme-www",
      team: "acme",
      ownerId: team("acme"),
      ownerType: "team",
    });
    expect(fake().state.pipeline(pipeline.id).pipeline).toMatchObject({
      name: "acme-www",
      owner: { id: team("acme"), type: "team" },
    });
  });

  test.each([
    ["to another team", "globex"],
    ["to a user", undefined],
  ])("a transfer %s made by hand shows on refresh and is undone", async (_what, owner) => {
    await pipeline.create({ name: "acme-web", team: "acme" });
    const record = fake().state.pipeline("acme-web").pipeline;
    record.owner = owner
      ? { id: team(owner), type: "team" }
      : { id: fake().state.account.id, type: "user" };
    record.name = "renamed";
    fake().clearRequests();
    const outs = await pipeline.read();
    expect(sent(fake())).toEqual([`GET /pipelines/${pipeline.id}`]);
    expect(outs?.name).toBe("renamed");
    // The owner answer has only an id: a team shows as its id, a user as no team.
    expect(outs?.team).toBe(owner === undefined ? undefined : team(owner));
    await pipeline.update({ name: "acme-web", team: "acme" });
    expect(fake().state.pipeline(pipeline.id).pipeline).toMatchObject({
      name: "acme-web",
      owner: { id: team("acme"), type: "team" },
    });
  });

  test("delete, and a pipeline gone by hand", async () => {
    await pipeline.create({ name: "acme-web" });
    await pipeline.delete();
    await pipeline.delete();
    expect(fake().state.pipelines.size).toBe(0);
    expect(await pipeline.read()).toBeUndefined();
  });

  test("check", async () => {
    expect(await pipeline.failures({ name: "Acme Web" })).toEqual([
      {
        property: "name",
        reason:
          'got "Acme Web"; allowed: 3-30 lowercase letters, digits and dashes, starting with a letter',
      },
    ]);
  });
});

describe("PipelineCoupling", () => {
  let coupling: Driven;
  let appId: string;
  let pipelineId: string;
  beforeEach(async () => {
    coupling = new Driven(createPipelineCouplingProvider(testOptions(fake())));
    appId = await createApp(fake(), "acme-web-staging");
    const made = new Driven(createPipelineProvider(testOptions(fake())));
    await made.create({ name: "acme-web" });
    pipelineId = made.id;
    fake().clearRequests();
  });

  test("create, stage in place, drift, replacement rules, delete", async () => {
    await coupling.create({ app: appId, pipeline: pipelineId, stage: "staging" });
    expect(sent(fake())).toEqual([
      `POST /pipeline-couplings {"app":"${appId}","pipeline":"${pipelineId}","stage":"staging"}`,
    ]);
    expect(coupling.outs).toEqual({ app: appId, pipeline: pipelineId, stage: "staging" });
    fake().state.couplings.get(coupling.id)!.stage = "development";
    fake().clearRequests();
    expect(await coupling.read()).toEqual({
      app: appId,
      pipeline: pipelineId,
      stage: "development",
    });
    expect(
      await coupling.diff({ app: appId, pipeline: pipelineId, stage: "staging" }),
    ).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      await coupling.diff({
        app: appId,
        pipeline: "01234567-89ab-4cde-8f01-0000000000ff",
        stage: "staging",
      }),
    ).toMatchObject({ replaces: ["pipeline"] });
    await coupling.update({ app: appId, pipeline: pipelineId, stage: "staging" });
    expect(sent(fake())).toEqual([
      `GET /pipeline-couplings/${coupling.id}`,
      `PATCH /pipeline-couplings/${coupling.id} {"stage":"staging"}`,
    ]);
    await coupling.delete();
    await coupling.delete();
    expect(fake().state.couplings.size).toBe(0);
    expect(await coupling.read()).toBeUndefined();
  });

  test("an app already in the pipeline is adopted, and moved to the wanted stage", async () => {
    fake().fault("POST /pipeline-couplings", Faults.applyThen(Faults.reset()));
    await coupling.create({ app: appId, pipeline: pipelineId, stage: "staging" });
    expect(fake().state.couplings.size).toBe(1);
    const other = new Driven(createPipelineCouplingProvider(testOptions(fake())));
    await other.create({ app: appId, pipeline: pipelineId, stage: "production" });
    expect(other.id).toBe(coupling.id);
    expect(sent(fake()).slice(-3)).toEqual([
      `POST /pipeline-couplings {"app":"${appId}","pipeline":"${pipelineId}","stage":"production"}`,
      `GET /apps/${appId}/pipeline-couplings`,
      `PATCH /pipeline-couplings/${coupling.id} {"stage":"production"}`,
    ]);
  });

  test("check", async () => {
    expect(await coupling.failures({ app: appId, pipeline: "acme-web", stage: "qa" })).toEqual([
      { property: "pipeline", reason: 'got "acme-web"; allowed: a pipeline id (a UUID)' },
      {
        property: "stage",
        reason: 'got "qa"; allowed: one of review, development, staging, production',
      },
    ]);
  });
});

describe("ReviewAppConfig", () => {
  let config: Driven;
  let pipelineId: string;
  const INPUTS = () => ({ pipeline: pipelineId, repo: "acme/acme-web", staleDays: 5 });
  beforeEach(async () => {
    config = new Driven(createReviewAppConfigProvider(testOptions(fake())));
    const made = new Driven(createPipelineProvider(testOptions(fake())));
    await made.create({ name: "acme-web" });
    pipelineId = made.id;
    fake().clearRequests();
  });

  test("a pipeline not connected to GitHub: the error says the one manual step and the key", async () => {
    const error = (await config.create(INPUTS()).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `slipway:reviewApps.githubConnected: Heroku answered 404 when enabling review apps on pipeline ${pipelineId}: ` +
        "the pipeline is not connected to the GitHub repository acme/acme-web (or does not exist). Got: true, " +
        "but Heroku's API cannot make that connection, so it is one manual step. Allowed: true only once the " +
        'pipeline is connected. Fix: in the Heroku Dashboard open the pipeline, Settings, "Connect to GitHub" ' +
        `and choose acme/acme-web (or run \`heroku pipelines:connect ${pipelineId} --repo acme/acme-web\`), then ` +
        "run `pulumi up` again; until then set it back with " +
        "`pulumi config set --path slipway:reviewApps.githubConnected false`.",
    );
    expect(error.name).toBe("SlipwayError");
  });

  test("connected: create, drift, update in place, replacement rules, delete", async () => {
    fake().state.connectGitHub(pipelineId, "acme/acme-web");
    const outs = await config.create(INPUTS());
    expect(sent(fake())).toEqual([
      `POST /pipelines/${pipelineId}/review-app-config {"repo":"acme/acme-web","automatic_review_apps":false,"destroy_stale_apps":true,"stale_days":5,"wait_for_ci":true}`,
    ]);
    expect(outs).toEqual({
      ...INPUTS(),
      automaticReviewApps: false,
      destroyStaleApps: true,
      waitForCi: true,
    });
    fake().state.pipeline(pipelineId).reviewAppConfig!.stale_days = 30;
    fake().clearRequests();
    expect(await config.read()).toMatchObject({ staleDays: 30 });
    expect(await config.diff({ ...INPUTS(), repo: "acme/other" })).toMatchObject({
      replaces: ["repo"],
    });
    await config.update({ ...INPUTS(), waitForCi: false });
    expect(sent(fake())).toEqual([
      `GET /pipelines/${pipelineId}/review-app-config`,
      `PATCH /pipelines/${pipelineId}/review-app-config {"stale_days":5,"wait_for_ci":false}`,
    ]);
    await config.delete();
    await config.delete();
    expect(fake().state.pipeline(pipelineId).reviewAppConfig).toBeUndefined();
    expect(await config.read()).toBeUndefined();
  });

  test("a config made by an uncertain create is adopted and set as wanted", async () => {
    fake().state.connectGitHub(pipelineId, "acme/acme-web");
    fake().fault("POST /pipelines/{pipeline}/review-app-config", Faults.applyThen(Faults.reset()));
    await config.create({ ...INPUTS(), staleDays: 9 });
    expect(fake().state.pipeline(pipelineId).reviewAppConfig).toMatchObject({ stale_days: 9 });
    const again = new Driven(createReviewAppConfigProvider(testOptions(fake())));
    await again.create({ ...INPUTS(), staleDays: 12, baseName: "acme-pr" });
    expect(fake().state.pipeline(pipelineId).reviewAppConfig).toMatchObject({
      stale_days: 12,
      base_name: "acme-pr",
    });
  });

  test("other errors pass through", async () => {
    fake().fault("POST /pipelines/{pipeline}/review-app-config", Faults.unauthorized());
    await expect(config.create(INPUTS())).rejects.toThrow(/answered 401 unauthorized/);
  });

  test("the body names only what changed", () => {
    const wanted = {
      ...INPUTS(),
      automaticReviewApps: false,
      destroyStaleApps: true,
      waitForCi: true,
    };
    expect(reviewAppConfigBody(wanted, wanted)).toEqual({});
  });
});

test("an older pipeline without an owner reads as the user's", async () => {
  const pipeline = new Driven(createPipelineProvider(testOptions(fake())));
  await pipeline.create({ name: "acme-web" });
  fake().state.pipeline("acme-web").pipeline.owner = null;
  expect(await pipeline.read()).toEqual({
    name: "acme-web",
    pipelineId: pipeline.id,
    ownerId: "",
    ownerType: "user",
  });
});

test("a coupling of an app named (not by id) keeps the name on refresh", async () => {
  await createApp(fake(), "acme-web");
  const made = new Driven(createPipelineProvider(testOptions(fake())));
  await made.create({ name: "acme-web" });
  const coupling = new Driven(createPipelineCouplingProvider(testOptions(fake())));
  await coupling.create({ app: "acme-web", pipeline: made.id, stage: "review" });
  expect(await coupling.read()).toEqual({ app: "acme-web", pipeline: made.id, stage: "review" });
});
