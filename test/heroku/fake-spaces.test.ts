// The fake's Private Spaces behave as Heroku's do for what slipway reads and does: the space by
// name or id, its peering info and NAT, peering requests (from `requestPeering`, as AWS makes
// them) accepted once and activated, destroyed; team apps created in a space. Every answer is
// checked against the schema (fake-suite).
import type { App, Peering, PeeringInfo, SpaceNat } from "./fake";
import { failure, fake, heroku, useFakeHeroku } from "./fake-suite";

useFakeHeroku({ peeringActivationPolls: 1 });

const PCX = "pcx-0123456789abcdef0";

beforeEach(() => {
  fake.state.addSpace("acme-space", { region: "dublin" });
});

test("a space by name and by id, and the list of spaces", async () => {
  const byName = await heroku.get<{ id: string; name: string; region: { name: string } }>(
    "/spaces/acme-space",
  );
  expect(byName).toMatchObject({
    name: "acme-space",
    region: { name: "dublin" },
    state: "allocated",
  });
  expect((await heroku.get<{ name: string }>(`/spaces/${byName.id}`)).name).toBe("acme-space");
  expect((await heroku.list<{ name: string }>("/spaces")).map((s) => s.name)).toEqual([
    "acme-space",
  ]);
  const missing = await failure(heroku.get("/spaces/acme-nope"));
  expect([missing.status, missing.id]).toEqual([404, "not_found"]);
});

test("peering info: the space's AWS account, region, VPC and CIDR blocks", async () => {
  const info = await heroku.get<PeeringInfo>("/spaces/acme-space/peering-info");
  expect(info).toEqual({
    aws_account_id: "847227832372",
    aws_region: "eu-west-1",
    vpc_id: fake.state.space("acme-space").peeringInfo.vpc_id,
    vpc_cidr: "10.0.0.0/16",
    dyno_cidr_blocks: ["10.0.128.0/20", "10.0.144.0/20"],
    space_cidr_blocks: ["10.0.128.0/20", "10.0.144.0/20", "10.0.0.0/20", "10.0.16.0/20"],
    unavailable_cidr_blocks: ["10.1.0.0/16"],
  });
  expect(info.vpc_id).toMatch(/^vpc-[0-9a-f]{8}$/);
});

test("NAT: enabled with two sources unless the space was made without it", async () => {
  expect(await heroku.get<SpaceNat>("/spaces/acme-space/nat")).toMatchObject({
    state: "enabled",
    sources: ["52.0.2.10", "52.0.2.11"],
  });
  fake.state.addSpace("acme-nonat", { nat: "disabled", sources: [] });
  expect(await heroku.get<SpaceNat>("/spaces/acme-nonat/nat")).toMatchObject({
    state: "disabled",
    sources: [],
  });
});

describe("peerings", () => {
  beforeEach(() => {
    fake.state.requestPeering("acme-space", {
      pcxId: PCX,
      vpcId: "vpc-0abc1234def567890",
      cidrBlocks: ["172.31.0.0/16"],
    });
  });

  test("a request arrives pending; accepted it provisions, then turns active", async () => {
    expect(await heroku.list<Peering>("/spaces/acme-space/peerings")).toEqual([
      expect.objectContaining({
        pcx_id: PCX,
        status: "pending-acceptance",
        type: "customer-managed",
      }),
    ]);
    const accepted = await heroku.post<Peering>(
      `/spaces/acme-space/peerings/${PCX}/actions/accept`,
    );
    expect(accepted.status).toBe("provisioning");
    expect((await heroku.get<Peering>(`/spaces/acme-space/peerings/${PCX}`)).status).toBe(
      "provisioning",
    );
    expect((await heroku.get<Peering>(`/spaces/acme-space/peerings/${PCX}`)).status).toBe("active");
  });

  test("a second accept is refused, as the connection is no longer pending", async () => {
    await heroku.post(`/spaces/acme-space/peerings/${PCX}/actions/accept`);
    const twice = await failure(heroku.post(`/spaces/acme-space/peerings/${PCX}/actions/accept`));
    expect([twice.status, twice.id, twice.herokuMessage]).toEqual([
      422,
      "invalid_params",
      `Peering connection ${PCX} is provisioning, not pending acceptance.`,
    ]);
  });

  test("destroy answers the connection as deleted; then it is not found", async () => {
    const deleted = await heroku.delete<Peering>(`/spaces/acme-space/peerings/${PCX}`);
    expect(deleted.status).toBe("deleted");
    const gone = await failure(heroku.get(`/spaces/acme-space/peerings/${PCX}`));
    expect(gone.status).toBe(404);
    expect((await failure(heroku.delete(`/spaces/acme-space/peerings/${PCX}`))).status).toBe(404);
  });
});

describe("team apps in a space", () => {
  test("take the space and its region", async () => {
    const app = await heroku.post<App>("/teams/apps", {
      name: "acme-web",
      team: "acme",
      space: "acme-space",
    });
    const space = fake.state.space("acme-space").space;
    expect(app).toMatchObject({
      space: { id: space.id, name: "acme-space", shield: false },
      region: space.region,
      team: { name: "acme" },
    });
  });

  test("refuse a region beside the space, and a space they do not own", async () => {
    const region = await failure(
      heroku.post("/teams/apps", {
        name: "acme-web",
        team: "acme",
        space: "acme-space",
        region: "eu",
      }),
    );
    expect(region.herokuMessage).toBe(
      "An app in a space takes the space's region; do not pass region.",
    );
    const missing = await failure(
      heroku.post("/teams/apps", { name: "acme-web", team: "acme", space: "acme-nope" }),
    );
    expect(missing.herokuMessage).toBe("Couldn't find that space in team acme: acme-nope.");
  });
});
