import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { configurationMarkdown } from "../../config/docs";
import { z } from "zod";
import { looksSecret } from "../../config/limits";
import { slipwaySchema } from "../../config/schema";
import { unwrap } from "../../config/validate";
import { PROJECT_DIR } from "../support/stacks";

test("docs/configuration.md is what the schema says (run `npm run docs:config` after a change)", () => {
  expect(fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8")).toBe(
    configurationMarkdown(),
  );
});

describe("Pulumi.yaml declares every slipway key, typed as the schema types it", () => {
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    config: Record<
      string,
      { type: string; description: string; default?: unknown; secret?: boolean }
    >;
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
    const field = unwrap((slipwaySchema.shape as Record<string, z.ZodType>)[key] as z.ZodType);
    const object = field instanceof z.ZodObject || field instanceof z.ZodRecord;
    expect(entry?.type).toBe(object ? "object" : "string");
    expect(entry?.description.length).toBeGreaterThan(20);
    // The CLI requires every stack to set a project key declared without a default: only the
    // app has none. environment defaults to "" (the kind comes from the stack name), the other
    // objects to {} with the schema filling each field, so the CLI and slipway plan start alike.
    if (key === "app") expect(entry).not.toHaveProperty("default");
    else if (object) expect(entry?.default).toEqual({});
    else expect(entry?.default).toBe("");
    // No key is declared `secret`: the CLI would then require every stack to set it, and it
    // refuses a plain default of a secret key. The credentials CI receives default to "" (none)
    // and slipway plan refuses them in plain text by their names instead.
    expect(entry).not.toHaveProperty("secret");
    if (!object && key !== "environment") expect(looksSecret(key)).toBe(true);
  });
});
