// The Pipeline, PipelineCoupling and Private Space providers' rules without a server: each check
// at its edges and which changes replace the resource (a pipeline's never do: renames and
// transfers happen in place).
import {
  createPipelineCouplingProvider,
  createPipelineProvider,
} from "../../components/heroku/pipeline";
import {
  createSpaceNatProvider,
  createSpacePeeringInfoProvider,
  createSpacePeeringProvider,
} from "../../components/heroku/space";

const PIPELINE_ID = "0f3c6a52-2b7e-4c1d-9a8f-5e6d7c8b9a01";
// Each check and diff builds its provider inside the test, where Stryker sees it run.
type Rules = ReturnType<typeof createPipelineProvider>;
const checkOf = (make: () => Rules) => (news: Record<string, unknown>) => make().check!({}, news);
const diffOf =
  (make: () => Rules) => (olds: Record<string, unknown>, change: Record<string, unknown>) =>
    make().diff!("id", olds, { ...olds, ...change });

describe("Pipeline", () => {
  const provider = createPipelineProvider;
  const check = checkOf(provider);
  const NAME_ALLOWED = "3-30 lowercase letters, digits and dashes, starting with a letter";

  test.each([
    [{ name: "abc" }],
    [{ name: "a23456789012345678901234567890" }],
    [{ name: "acme-web", team: "acme" }],
    [{ name: "acme-web", team: "0acme-team" }],
  ])("%j passes as given", async (news) => {
    expect(await check(news)).toStrictEqual({ inputs: news, failures: [] });
  });

  test("a null team is none", async () => {
    expect(await check({ name: "acme-web", team: null })).toStrictEqual({
      inputs: { name: "acme-web" },
      failures: [],
    });
  });

  test.each([
    [{ name: "ab" }, "name", `got "ab"; allowed: ${NAME_ALLOWED}`],
    [
      { name: "a234567890123456789012345678901" },
      "name",
      `got "a234567890123456789012345678901"; allowed: ${NAME_ALLOWED}`,
    ],
    [{ name: "1acme" }, "name", `got "1acme"; allowed: ${NAME_ALLOWED}`],
    [{ name: "acme web" }, "name", `got "acme web"; allowed: ${NAME_ALLOWED}`],
    [{ name: "acme-web", team: "Acme" }, "team", 'got "Acme"; allowed: a Heroku team name'],
    [{ name: "acme-web", team: "-acme" }, "team", 'got "-acme"; allowed: a Heroku team name'],
    [
      { name: "acme-web", team: "acme team" },
      "team",
      'got "acme team"; allowed: a Heroku team name',
    ],
  ])("%j fails on %s", async (news, property, reason) => {
    expect((await check(news)).failures).toStrictEqual([{ property, reason }]);
  });

  test.each([
    ["nothing", {}, false],
    ["a new name", { name: "acme-www" }, true],
    ["a new team", { team: "globex" }, true],
  ])("diff of %s: never a replacement", async (_what, change, changes) => {
    const olds = {
      name: "acme-web",
      team: "acme",
      pipelineId: "p",
      ownerId: "o",
      ownerType: "team",
    };
    expect(await diffOf(provider)(olds, change)).toStrictEqual({
      changes,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });
});

describe("PipelineCoupling", () => {
  const provider = createPipelineCouplingProvider;
  const check = checkOf(provider);
  const UUID_ALLOWED = "a pipeline id (a UUID)";

  test.each([
    [{ app: "acme-web", pipeline: PIPELINE_ID, stage: "production" }],
    [{ app: "acme-web", pipeline: PIPELINE_ID.toUpperCase(), stage: "review" }],
  ])("%j passes as given", async (news) => {
    expect(await check(news)).toStrictEqual({ inputs: news, failures: [] });
  });

  test.each([
    [
      { pipeline: `x${PIPELINE_ID}` },
      "pipeline",
      `got "x${PIPELINE_ID}"; allowed: ${UUID_ALLOWED}`,
    ],
    [
      { pipeline: `${PIPELINE_ID}0` },
      "pipeline",
      `got "${PIPELINE_ID}0"; allowed: ${UUID_ALLOWED}`,
    ],
    [{ app: "" }, "app", 'got ""; allowed: an app id or name'],
    [
      { stage: "qa" },
      "stage",
      'got "qa"; allowed: one of review, development, staging, production',
    ],
  ])("%j fails on %s", async (given, property, reason) => {
    const news = { app: "acme-web", pipeline: PIPELINE_ID, stage: "staging", ...given };
    expect((await check(news)).failures).toStrictEqual([{ property, reason }]);
  });

  test.each([
    ["nothing", {}, false, []],
    ["another stage (in place)", { stage: "production" }, true, []],
    ["another app", { app: "acme-web-2" }, true, ["app"]],
    ["another pipeline", { pipeline: PIPELINE_ID.replace("0f", "1f") }, true, ["pipeline"]],
  ])("diff of %s", async (_what, change, changes, replaces) => {
    const olds = { app: "acme-web", pipeline: PIPELINE_ID, stage: "staging" };
    expect(await diffOf(provider)(olds, change)).toStrictEqual({
      changes,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});

describe("Private Space resources", () => {
  const SPACE_ALLOWED = "a Heroku Private Space name";
  const PCX_ALLOWED = "an AWS VPC peering connection id (pcx-...)";

  test.each([
    ["SpacePeeringInfo", createSpacePeeringInfoProvider],
    ["SpaceNat", createSpaceNatProvider],
  ])("%s: a space name, another one replacing it", async (_what, provider) => {
    const check = checkOf(provider);
    expect(await check({ space: "acme-space" })).toStrictEqual({
      inputs: { space: "acme-space" },
      failures: [],
    });
    expect((await check({})).failures).toStrictEqual([
      { property: "space", reason: `got nothing; allowed: ${SPACE_ALLOWED}` },
    ]);
    expect(await diffOf(provider)({ space: "acme-space" }, { space: "acme-other" })).toStrictEqual({
      changes: true,
      replaces: ["space"],
      deleteBeforeReplace: true,
    });
  });

  const peering = createSpacePeeringProvider;
  const check = checkOf(peering);

  test.each(["pcx-0123abcd", "pcx-0123456789abcdef0"])("SpacePeering: %j passes", async (pcxId) => {
    expect(await check({ space: "acme-space", pcxId })).toStrictEqual({
      inputs: { space: "acme-space", pcxId },
      failures: [],
    });
  });

  test.each([
    "pcx-0123abc",
    "pcx-0123456789abcdef01",
    "pcx-0123ABCD",
    "xpcx-0123abcd",
    "pcx-0123abcd ",
  ])("SpacePeering: %j fails", async (pcxId) => {
    expect((await check({ space: "acme-space", pcxId })).failures).toStrictEqual([
      { property: "pcxId", reason: `got ${JSON.stringify(pcxId)}; allowed: ${PCX_ALLOWED}` },
    ]);
  });

  test.each([
    ["another space", { space: "acme-other" }, ["space"]],
    ["another connection", { pcxId: "pcx-0fedcba9" }, ["pcxId"]],
  ])("SpacePeering: %s replaces it", async (_what, change, replaces) => {
    const olds = { space: "acme-space", pcxId: "pcx-0123abcd", status: "active" };
    expect(await diffOf(peering)(olds, change)).toStrictEqual({
      changes: true,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});
