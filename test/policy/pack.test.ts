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

// Loaded here rather than inside a test: Stryker (docs/mutation.md) counts code that runs inside
// a test as covered by it, and would then test every module-level value of the policies (names,
// descriptions, defaults) against these two tests alone instead of leaving them out as static.
/* eslint-disable @typescript-eslint/no-require-imports */
const { pack } = require("../../policy/policies") as typeof import("../../policy/policies");
const constructedByPolicies = [...constructed];
require("../../policy");
/* eslint-enable @typescript-eslint/no-require-imports */

test("importing the policies starts nothing; policy/index.ts constructs the pack once with them", () => {
  expect(constructedByPolicies).toEqual([]);
  expect(constructed).toEqual([
    { name: "slipway", args: { enforcementLevel: "advisory", policies: pack.policies } },
  ]);
});

test("the pack's version is policy/package.json's, which PolicyPack publishes", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(pack.version).toBe((require("../../policy/package.json") as { version: string }).version);
  expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
});
