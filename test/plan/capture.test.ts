import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../cli/plan/capture";
import { createMocks, stableHex } from "../../cli/plan/mocks";
import { redact, Secret, UNKNOWN } from "../../cli/plan/values";

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:test:Box", name, {}, opts);
    const group = new aws.ec2.SecurityGroup(`${name}-sg`, { description: "box" }, { parent: this });
    new aws.rds.Instance(
      `${name}-db`,
      {
        instanceClass: "db.t4g.micro",
        identifier: `${name}-db`,
        password: pulumi.secret("hunter2"),
        vpcSecurityGroupIds: [group.id],
      },
      { parent: this, deleteBeforeReplace: true, ignoreChanges: ["password"] },
    );
    this.registerOutputs({});
  }
}

const run = (program: () => unknown, stackOutputs?: Record<string, unknown>) =>
  runUnderMocks(program, {
    project: "slipway",
    stack: "staging",
    config: { "aws:region": "eu-west-1", "slipway:x": "1" },
    secretKeys: [],
    mocks: createMocks({ awsRegion: "eu-west-1", stackOutputs: () => stackOutputs }),
  });

describe("runUnderMocks", () => {
  test("records every registration with engine URNs, parents, options and decoded inputs", async () => {
    const captured = await run(() => {
      new Box("web", { protect: true });
      return { plain: "a", hidden: pulumi.secret("b") };
    });
    const summary = captured.resources.map((r) => [r.urn, r.parent, r.protect, r.custom]);
    expect(summary).toEqual([
      [
        "urn:pulumi:staging::slipway::pulumi:pulumi:Stack::slipway-staging",
        undefined,
        false,
        false,
      ],
      [
        "urn:pulumi:staging::slipway::slipway:test:Box::web",
        "urn:pulumi:staging::slipway::pulumi:pulumi:Stack::slipway-staging",
        true,
        false,
      ],
      [
        "urn:pulumi:staging::slipway::slipway:test:Box$aws:ec2/securityGroup:SecurityGroup::web-sg",
        "urn:pulumi:staging::slipway::slipway:test:Box::web",
        true,
        true,
      ],
      [
        "urn:pulumi:staging::slipway::slipway:test:Box$aws:rds/instance:Instance::web-db",
        "urn:pulumi:staging::slipway::slipway:test:Box::web",
        true,
        true,
      ],
    ]);
    const db = captured.resources[3];
    expect(db?.deleteBeforeReplace).toBe(true);
    expect(db?.ignoreChanges).toEqual(["password"]);
    expect(db?.inputs["password"]).toEqual(new Secret("hunter2"));
    expect(redact(db?.inputs)).toEqual({
      identifier: "web-db",
      instanceClass: "db.t4g.micro",
      password: "[secret]",
      vpcSecurityGroupIds: [`sg-${stableHex(17, "aws:ec2/securityGroup:SecurityGroup", "web-sg")}`],
    });
    expect(db?.dependencies).toEqual([captured.resources[2]?.urn]);
    expect(redact(captured.outputs)).toEqual({ plain: "a", hidden: "[secret]" });
  });

  test("a stack reference to a stack not planned yields unknown outputs; a planned one its outputs", async () => {
    const program = () => {
      const ref = new pulumi.StackReference("acme/slipway/production");
      return { pipelineId: ref.getOutput("pipelineId") };
    };
    const unknown = await run(program);
    expect(unknown.outputs["pipelineId"]).toBe(UNKNOWN);
    const reference = unknown.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
    expect(reference?.read).toBe(true);
    expect(reference?.inputs).toEqual({ name: "acme/slipway/production" });
    const known = await run(program, { pipelineId: "p-1" });
    expect(known.outputs["pipelineId"]).toBe("p-1");
  });

  test("a referenced stack's secret outputs stay secret, its other outputs plain, as the engine gives them", async () => {
    const captured = await run(
      () => {
        const ref = new pulumi.StackReference("organization/slipway/production");
        return { id: ref.getOutput("pipelineId"), token: ref.getOutput("token") };
      },
      { pipelineId: "p-1", token: new Secret("t-1") },
    );
    expect(captured.outputs).toStrictEqual({ id: "p-1", token: new Secret("t-1") });
    expect(redact(captured.outputs)).toEqual({ id: "p-1", token: "[secret]" });
    const reference = captured.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
    expect(reference?.state["secretOutputNames"]).toEqual(["token"]);
  });

  test("a program that throws fails the run with its error, without crashing the process", async () => {
    await expect(
      run(() => {
        new Box("half");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  test("the program's warnings are kept as data, in order, not printed; the SDK's warn is put back", async () => {
    const sdkWarn = pulumi.log.warn;
    const printed = jest.spyOn(console, "warn");
    try {
      const captured = await run(() => {
        const box = new Box("w");
        void pulumi.log.warn("first", box);
        void pulumi.log.warn("second");
      });
      expect(captured.warnings).toEqual(["first", "second"]);
      expect(printed).not.toHaveBeenCalled();
      expect(pulumi.log.warn).toBe(sdkWarn);
      expect((await run(() => new Box("quiet"))).warnings).toEqual([]);
    } finally {
      printed.mockRestore();
    }
  });

  test("a program that warns and then throws still gets the SDK's warn back", async () => {
    const sdkWarn = pulumi.log.warn;
    await expect(
      run(() => {
        void pulumi.log.warn("before");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(pulumi.log.warn).toBe(sdkWarn);
  });

  test("config is set for the program", async () => {
    let value: string | undefined;
    await run(() => {
      value = new pulumi.Config("slipway").get("x");
    });
    expect(value).toBe("1");
  });
});
