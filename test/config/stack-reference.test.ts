import { parseStackName, qualifyStackName } from "../../config/stack-reference";

// The forms both Pulumi backends accept (ParseStackReference in pkg/backend/diy/store.go and
// pkg/backend/httpstate/backend.go): the parts left out come from the running stack.
test.each([
  ["production", "organization/slipway/production"],
  ["acme/production", "acme/slipway/production"],
  ["acme/platform/production", "acme/platform/production"],
])("%s from organization/slipway is %s", (name, qualified) => {
  expect(qualifyStackName(name, "organization", "slipway")).toBe(qualified);
});

test("the parts of each form", () => {
  expect(parseStackName("production")).toEqual({ stack: "production" });
  expect(parseStackName("acme/production")).toEqual({ organization: "acme", stack: "production" });
  expect(parseStackName("acme/web/production")).toEqual({
    organization: "acme",
    project: "web",
    stack: "production",
  });
});

test("four parts is a bug in the caller: the config schema allows three at most", () => {
  expect(() => parseStackName("a/b/c/d")).toThrow('"a/b/c/d" has more than three parts');
});
