// The pack's entry point for the Pulumi CLI constructs the PolicyPack (which starts the
// analyzer's server); the policies module that `slipway plan` imports must not.
const constructed: { name: string; args: unknown }[] = [];

jest.mock("@pulumi/policy", () => {
  const actual = jest.requireActual<typeof import("@pulumi/policy")>("@pulumi/policy");
  return {
    ...actual,
    PolicyPack: class {
      constructor(name: string, args: unknown) {
        constructed.push({ name, args });
      }
    },
  };
});

test("importing the policies starts nothing; policy/index.ts constructs the pack once with them", () => {
  jest.isolateModules(() => {
    const { pack } =
      jest.requireActual<typeof import("../../policy/policies")>("../../policy/policies");
    expect(constructed).toEqual([]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../policy");
    expect(constructed).toHaveLength(1);
    expect(constructed[0]).toEqual({
      name: "slipway",
      args: { enforcementLevel: "advisory", policies: pack.policies },
    });
  });
});

test("the pack's version is policy/package.json's, which PolicyPack publishes", () => {
  const { pack } =
    jest.requireActual<typeof import("../../policy/policies")>("../../policy/policies");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(pack.version).toBe((require("../../policy/package.json") as { version: string }).version);
  expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
});
