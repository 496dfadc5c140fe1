import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { configurationMarkdown } from "../../config/docs";
import { slipwaySchema } from "../../config/schema";
import { PROJECT_DIR } from "../support/stacks";

test("docs/configuration.md is what the schema says (run `npm run docs:config` after a change)", () => {
  expect(fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8")).toBe(
    configurationMarkdown(),
  );
});

describe("Pulumi.yaml declares every slipway key, typed as the schema types it", () => {
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type: string; description: string; default?: unknown }>;
  };
  const declared = Object.keys(project.config).filter((k) => k.startsWith("slipway:"));

  test("the same keys", () => {
    expect(declared.sort()).toEqual(
      Object.keys(slipwaySchema.shape)
        .map((k) => `slipway:${k}`)
        .sort(),
    );
  });

  test.each(Object.keys(slipwaySchema.shape))("slipway:%s", (key) => {
    const entry = project.config[`slipway:${key}`];
    expect(entry?.type).toBe(key === "environment" ? "string" : "object");
    expect(entry?.description.length).toBeGreaterThan(20);
    // The CLI requires every stack to set a project key declared without a default: only the
    // app has none. environment defaults to "" (the kind comes from the stack name), the others
    // to {} with the schema filling each field, so the CLI and slipway plan start alike.
    if (key === "app") expect(entry).not.toHaveProperty("default");
    else if (key === "environment") {
      expect(entry?.default).toBe("");
      expect(slipwaySchema.shape.environment.parse(undefined)).toBe("");
    } else expect(entry?.default).toEqual({});
  });
});
