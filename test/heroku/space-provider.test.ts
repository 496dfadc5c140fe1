// The Private Space providers against the fake (schema-checked): peering info and NAT read in one
// GET, refused when they cannot serve; a peering request accepted, waited for until active,
// adopted after an uncertain accept, destroyed; an app created in a space.
import { createAppProvider } from "../../components/heroku/app";
import {
  createSpaceNatProvider,
  createSpacePeeringInfoProvider,
  createSpacePeeringProvider,
} from "../../components/heroku/space";
import { SlipwayError } from "../../errors";
import { Faults } from "./fake";
import { SPACE_AWS_ACCOUNT } from "./fake/state";
import { Driven, sent, testOptions, useFake } from "./providers";

const fake = useFake({ peeringActivationPolls: 2 });
const PCX = "pcx-0123456789abcdef0";
const DB_VPC = "vpc-0abc1234def567890";

beforeEach(() => {
  fake().state.addSpace("acme-space");
});

describe("SpacePeeringInfo", () => {
  let info: Driven;
  beforeEach(() => {
    info = new Driven(createSpacePeeringInfoProvider(testOptions(fake())));
  });

  test("create is one GET of the space's peering info", async () => {
    const vpcId = fake().state.space("acme-space").peeringInfo.vpc_id;
    expect(await info.create({ space: "acme-space" })).toEqual({
      space: "acme-space",
      awsAccountId: SPACE_AWS_ACCOUNT,
      awsRegion: "us-east-1",
      vpcId,
      vpcCidr: "10.0.0.0/16",
      dynoCidrBlocks: ["10.0.128.0/20", "10.0.144.0/20"],
      unavailableCidrBlocks: ["10.1.0.0/16"],
    });
    expect(info.id).toBe("acme-space");
    expect(sent(fake())).toEqual(["GET /spaces/acme-space/peering-info"]);
  });

  test("refresh is one GET and sees new dyno blocks; delete sends nothing", async () => {
    await info.create({ space: "acme-space" });
    fake().state.space("acme-space").peeringInfo.dyno_cidr_blocks.push("10.0.160.0/20");
    fake().clearRequests();
    expect((await info.read())?.["dynoCidrBlocks"]).toEqual([
      "10.0.128.0/20",
      "10.0.144.0/20",
      "10.0.160.0/20",
    ]);
    await info.delete();
    expect(sent(fake())).toEqual(["GET /spaces/acme-space/peering-info"]);
  });

  test("another space replaces it; the same one is no change", async () => {
    await info.create({ space: "acme-space" });
    expect(await info.diff({ space: "acme-space" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await info.diff({ space: "acme-other" })).toEqual({
      changes: true,
      replaces: ["space"],
      deleteBeforeReplace: true,
    });
  });

  test("a space Heroku does not know is refused naming slipway:app.space", async () => {
    const error = await info.create({ space: "acme-typo" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).problems).toEqual([
      {
        key: "slipway:app.space",
        message:
          'got "acme-typo": Heroku has no such Private Space for this token. Allowed: the name ' +
          "of a space of the app's team (heroku spaces --team <team>). Fix: create the space " +
          "(docs/bootstrap.md) or correct slipway:app.space.",
      },
    ]);
  });

  test("a space deleted since is gone on refresh, and update reads it again", async () => {
    await info.create({ space: "acme-space" });
    expect((await info.update({ space: "acme-space" }))["vpcCidr"]).toBe("10.0.0.0/16");
    fake().state.spaces.clear();
    expect(await info.read()).toBeUndefined();
  });

  test("check names a malformed space", async () => {
    expect(await info.failures({ space: "Acme Space" })).toEqual([
      { property: "space", reason: 'got "Acme Space"; allowed: a Heroku Private Space name' },
    ]);
  });

  test("a 503 on the read is retried", async () => {
    fake().fault("GET /spaces/{space}/peering-info", Faults.unavailable());
    await info.create({ space: "acme-space" });
    expect(fake().count("GET /spaces/{space}/peering-info")).toBe(2);
  });
});

describe("SpaceNat", () => {
  test("the space's outbound addresses, sorted", async () => {
    fake().state.space("acme-space").nat.sources = ["52.0.2.11", "52.0.2.10"];
    const nat = new Driven(createSpaceNatProvider(testOptions(fake())));
    expect(await nat.create({ space: "acme-space" })).toEqual({
      space: "acme-space",
      sources: ["52.0.2.10", "52.0.2.11"],
    });
    expect(sent(fake())).toEqual(["GET /spaces/acme-space/nat"]);
  });

  test("NAT that is not enabled gives no stable address: refused with the fix", async () => {
    fake().state.addSpace("acme-nonat", { nat: "disabled" });
    const nat = new Driven(createSpaceNatProvider(testOptions(fake())));
    const error = (await nat.create({ space: "acme-nonat" }).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'slipway:database.allowedCidrs: got nothing, and the NAT of Private Space "acme-nonat" ' +
        "is disabled, so it has no stable outbound addresses to admit. Allowed: the addresses " +
        "of an enabled space NAT, or of a static-egress add-on. Fix: wait until heroku " +
        "spaces:info shows NAT enabled and run again, or list the add-on's addresses in " +
        "slipway:database.allowedCidrs.",
    );
  });
});

describe("SpacePeering", () => {
  let peering: Driven;
  let options: ReturnType<typeof testOptions>;
  beforeEach(() => {
    options = testOptions(fake());
    peering = new Driven(createSpacePeeringProvider({ ...options, pollIntervalMs: 1000 }));
  });
  const request = () =>
    fake().state.requestPeering("acme-space", {
      pcxId: PCX,
      vpcId: DB_VPC,
      cidrBlocks: ["172.31.0.0/16"],
    });

  test("create accepts the pending request and waits until it is active", async () => {
    request();
    const outs = await peering.create({ space: "acme-space", pcxId: PCX });
    expect(sent(fake())).toEqual([
      `GET /spaces/acme-space/peerings/${PCX}`,
      `POST /spaces/acme-space/peerings/${PCX}/actions/accept`,
      `GET /spaces/acme-space/peerings/${PCX}`,
      `GET /spaces/acme-space/peerings/${PCX}`,
      `GET /spaces/acme-space/peerings/${PCX}`,
    ]);
    expect(options.sleeps).toEqual([1000, 1000]);
    expect(outs).toEqual({
      space: "acme-space",
      pcxId: PCX,
      status: "active",
      awsVpcId: DB_VPC,
      cidrBlocks: ["172.31.0.0/16"],
    });
    expect(peering.id).toBe(PCX);
  });

  test("a request Heroku has not seen yet is waited for", async () => {
    let polls = 0;
    const sleep = async (ms: number) => {
      polls += 1;
      if (polls === 2) request();
      await options.sleep!(ms);
    };
    const provider = createSpacePeeringProvider({ ...options, sleep, pollIntervalMs: 1000 });
    peering = new Driven(provider);
    await peering.create({ space: "acme-space", pcxId: PCX });
    expect(sent(fake()).slice(0, 4)).toEqual([
      `GET /spaces/acme-space/peerings/${PCX}`,
      `GET /spaces/acme-space/peerings/${PCX}`,
      `GET /spaces/acme-space/peerings/${PCX}`,
      `POST /spaces/acme-space/peerings/${PCX}/actions/accept`,
    ]);
  });

  test("a request that never arrives fails after the wait, saying what to check", async () => {
    const provider = createSpacePeeringProvider({
      ...options,
      pollIntervalMs: 1000,
      waitTimeoutMs: 3000,
    });
    const error = (await new Driven(provider)
      .create({ space: "acme-space", pcxId: PCX })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `Heroku has not seen peering connection ${PCX} for Private Space "acme-space" after 3 s. ` +
        "Check that it was requested to the account and VPC heroku spaces:peering:info shows, " +
        "then run again.",
    );
    expect(fake().count("GET /spaces/{space}/peerings/{peering}")).toBe(4);
  });

  test("an accept whose answer was lost is adopted once Heroku shows it accepted", async () => {
    request();
    fake().fault(
      "POST /spaces/{space}/peerings/{peering}/actions/accept",
      Faults.applyThen(Faults.reset()),
    );
    const outs = await peering.create({ space: "acme-space", pcxId: PCX });
    expect(outs["status"]).toBe("active");
    expect(fake().count("POST /spaces/{space}/peerings/{peering}/actions/accept")).toBe(1);
  });

  test("an already accepted connection is not accepted twice", async () => {
    request().peering.status = "active";
    await peering.create({ space: "acme-space", pcxId: PCX });
    expect(sent(fake())).toEqual([
      `GET /spaces/acme-space/peerings/${PCX}`,
      `GET /spaces/acme-space/peerings/${PCX}`,
    ]);
  });

  test.each(["failed", "rejected", "expired"])(
    "a connection Heroku marks %s is refused with the fix",
    async (status) => {
      request().peering.status = status;
      const error = (await peering
        .create({ space: "acme-space", pcxId: PCX })
        .catch((e: unknown) => e)) as SlipwayError;
      expect(error.problems).toEqual([
        {
          key: "slipway:database.network",
          message:
            `peering connection ${PCX} of Private Space "acme-space" is ${status} on Heroku's ` +
            "side and will not become active. Allowed: a connection Heroku can accept (same " +
            "account and VPC as peering-info reports, CIDR blocks that do not overlap the " +
            "space's). Fix: check heroku spaces:peerings, then replace the AWS connection: " +
            "pulumi up --replace <the VpcPeeringConnection's URN>.",
        },
      ]);
    },
  );

  test("a connection that fails while provisioning stops the wait", async () => {
    request();
    let sleeps = 0;
    const sleep = async (ms: number) => {
      sleeps += 1;
      fake().state.space("acme-space").peerings.get(PCX)!.peering.status = "failed";
      await options.sleep!(ms);
    };
    peering = new Driven(createSpacePeeringProvider({ ...options, sleep, pollIntervalMs: 1000 }));
    const error = (await peering
      .create({ space: "acme-space", pcxId: PCX })
      .catch((e: unknown) => e)) as SlipwayError;
    expect(error.problems[0]?.message).toMatch(/ is failed on Heroku's side /);
    expect(sleeps).toBe(1);
  });

  test("accepted but not active in time: the error keeps the id so Pulumi records it", async () => {
    request().pollsUntilActive = 10;
    const provider = createSpacePeeringProvider({
      ...options,
      pollIntervalMs: 1000,
      waitTimeoutMs: 2500,
    });
    const error = (await new Driven(provider)
      .create({ space: "acme-space", pcxId: PCX })
      .catch((e: unknown) => e)) as Error & { id?: string; properties?: Record<string, unknown> };
    expect(error.name).toBe("HerokuWaitError");
    expect(error.id).toBe(PCX);
    expect(error.properties).toEqual({
      space: "acme-space",
      pcxId: PCX,
      status: "provisioning",
      awsVpcId: DB_VPC,
      cidrBlocks: ["172.31.0.0/16"],
    });
  });

  test("refresh is one GET; a connection deleted by hand is gone; delete answering 404 is done", async () => {
    request();
    await peering.create({ space: "acme-space", pcxId: PCX });
    fake().clearRequests();
    expect((await peering.read())?.["status"]).toBe("active");
    expect(sent(fake())).toEqual([`GET /spaces/acme-space/peerings/${PCX}`]);
    await peering.delete();
    expect(fake().state.space("acme-space").peerings.size).toBe(0);
    expect(await peering.read()).toBeUndefined();
    await peering.delete();
    expect(fake().count(`DELETE /spaces/acme-space/peerings/${PCX}`)).toBe(2);
  });

  test("update has nothing to send: it reads the connection", async () => {
    request();
    await peering.create({ space: "acme-space", pcxId: PCX });
    fake().clearRequests();
    expect((await peering.update({ space: "acme-space", pcxId: PCX }))["status"]).toBe("active");
    expect(sent(fake())).toEqual([`GET /spaces/acme-space/peerings/${PCX}`]);
  });

  test("another connection replaces it; a pcx id not known yet asks for nothing", async () => {
    request();
    await peering.create({ space: "acme-space", pcxId: PCX });
    expect(await peering.diff({ space: "acme-space", pcxId: "pcx-0fedcba9876543210" })).toEqual({
      changes: true,
      replaces: ["pcxId"],
      deleteBeforeReplace: true,
    });
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(await peering.failures({ space: "acme-space", pcxId: unknown })).toEqual([]);
  });

  test("check names a malformed connection id", async () => {
    expect(await peering.failures({ space: "acme-space", pcxId: "vpc-123" })).toEqual([
      {
        property: "pcxId",
        reason: 'got "vpc-123"; allowed: an AWS VPC peering connection id (pcx-...)',
      },
    ]);
  });
});

describe("an app in a Private Space", () => {
  let app: Driven;
  beforeEach(() => {
    app = new Driven(createAppProvider(testOptions(fake())));
  });
  const SPACE_APP = { name: "acme-web", team: "acme", space: "acme-space" };

  test("is created through /teams/apps with the space and no region", async () => {
    expect(await app.check(SPACE_APP)).toEqual({
      ...SPACE_APP,
      stack: "heroku-24",
      buildpacks: [],
      maintenance: false,
      acm: false,
    });
    const outs = await app.create(SPACE_APP);
    expect(sent(fake())[0]).toBe(
      'POST /teams/apps {"name":"acme-web","stack":"heroku-24","team":"acme","space":"acme-space"}',
    );
    expect(fake().state.app("acme-web").app.region.name).toBe("virginia");
    expect(outs).toMatchObject({ space: "acme-space", team: "acme" });
    expect(outs).not.toHaveProperty("region");
  });

  test("a refresh reads the space's region, which a space app's diff accepts", async () => {
    await app.create(SPACE_APP);
    expect(await app.read()).toMatchObject({ region: "virginia", space: "acme-space" });
    expect(await app.diff(SPACE_APP)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });

  test("moving it out of the space, or into another, replaces it", async () => {
    await app.create(SPACE_APP);
    expect(await app.diff({ name: "acme-web", team: "acme" })).toEqual({
      changes: true,
      replaces: ["region", "space"],
      deleteBeforeReplace: true,
    });
    expect(await app.diff({ ...SPACE_APP, space: "acme-other" })).toEqual({
      changes: true,
      replaces: ["space"],
      deleteBeforeReplace: true,
    });
  });

  test.each([
    [{ ...SPACE_APP, team: undefined }, "team", "got nothing; allowed: a Heroku team name"],
    [
      { ...SPACE_APP, region: "us" },
      "region",
      'got "us"; allowed: no region for an app in a Private Space',
    ],
    [{ ...SPACE_APP, space: "-x" }, "space", 'got "-x"; allowed: a Heroku Private Space name'],
  ])("check refuses %j on %s", async (news, property, reason) => {
    expect(await app.failures(news)).toEqual([{ property, reason }]);
  });

  test("the fake refuses a space of another team, as Heroku does", async () => {
    fake().state.addTeam("other");
    const error = (await app
      .create({ ...SPACE_APP, team: "other" })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /answered 422 invalid_params: Couldn't find that space in team other: acme-space\./,
    );
  });
});
