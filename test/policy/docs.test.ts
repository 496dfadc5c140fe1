import * as fs from "node:fs";
import * as path from "node:path";
import { pack } from "../../policy/policies";
import { PROJECT_DIR } from "../support/stacks";

const rows = fs
  .readFileSync(path.join(PROJECT_DIR, "docs", "policies.md"), "utf8")
  .split("\n")
  .filter((line) => /^\| `[a-z-]+` +\|/.test(line))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

describe("docs/policies.md matches the pack", () => {
  test("one row per policy, in the pack's order", () => {
    expect(rows.map((r) => r[0])).toEqual(pack.policies.map((p) => `\`${p.name}\``));
  });

  test.each(pack.policies.map((p) => [p.name, p] as const))(
    "%s: level, description and settings",
    (_name, policy) => {
      const row = rows.find((r) => r[0] === `\`${policy.name}\``) ?? [];
      expect(row[1]).toBe(policy.enforcementLevel);
      expect(row[2]).toBe(policy.description);
      expect(row[3]?.length).toBeGreaterThan(20);
      const properties = (policy.configSchema?.properties ?? {}) as Record<
        string,
        { default?: unknown }
      >;
      const tune = Object.entries(properties).map(
        ([k, v]) => `\`${k}\` (${JSON.stringify(v.default)})`,
      );
      expect(row[4]).toBe(tune.length > 0 ? tune.join(", ") : "level only");
    },
  );
});

describe("every policy states what the process needs", () => {
  test.each(pack.policies.map((p) => [p.name, p] as const))("%s", (name, policy) => {
    expect(name).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
    expect(policy.description).toMatch(/^[A-Z].*\.$/);
    expect(policy.remediationSteps?.length).toBeGreaterThan(10);
    expect(["mandatory", "advisory"]).toContain(policy.enforcementLevel);
    for (const property of Object.values(
      (policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>,
    )) {
      expect(property.default).toBeDefined();
    }
  });
});
