// docs/configuration.md, written from the schema itself so the reference cannot drift from
// what slipway accepts. `npm run docs:config` rewrites the file; a test compares them.
import { z } from "zod";
import { slipwaySchema } from "./schema";
import { metaOf, NAMESPACE, REQUIRED_FIELDS, unwrap } from "./validate";

const INTRO = `# Configuration reference

Every key slipway reads lives in the \`${NAMESPACE}\` namespace of a stack's config file
(\`Pulumi.<stack>.yaml\`). Objects are checked field by field: an unknown field, a wrong type or
a value the platform would refuse stops \`pulumi up\` and \`slipway plan\` (exit code 2) with the
key, the value received, what is allowed and how to fix it.

Set a field with \`pulumi config set --path '${NAMESPACE}:app.formation.web.quantity' 2\`, or edit the
YAML. Secrets never go in plain text: \`pulumi config set --secret --path
'${NAMESPACE}:secretConfigVars.SESSION_SECRET' <value>\`, and \`heroku:apiKey\` for the Heroku token.
\`slipway plan\` and \`pulumi up\` refuse (exit code 2) a plain value under any key or field whose
name looks secret (a TOKEN, KEY or CREDENTIALS at the end, a SECRET, PASSWORD or PASSPHRASE
anywhere, DATABASE_URL; \`config/limits.ts\`), a log drain URL in plain text, and a plain config var
with such a name. Besides these keys a stack sets \`aws:region\` (production and staging).

This file is generated from \`config/schema.ts\` by \`npm run docs:config\`.
`;

function defaultOf(path: string, value: unknown): string {
  if (value !== undefined) return `\`${JSON.stringify(value)}\``;
  const required = REQUIRED_FIELDS.find((f) => f.path === path);
  if (!required) return "not set";
  return required.kinds.length === 3 ? "required" : `required in ${required.kinds.join(" and ")}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export function configurationMarkdown(): string {
  const lines = [INTRO];
  const defaults = slipwaySchema.partial().parse({}) as Record<string, unknown>;
  for (const [key, field] of Object.entries(slipwaySchema.shape) as [string, z.ZodType][]) {
    const meta = metaOf(field);
    const inner = unwrap(field);
    lines.push(`## \`${NAMESPACE}:${key}\``, "", `Allowed: ${meta?.allowed ?? ""}.`, "");
    if (!(inner instanceof z.ZodObject)) {
      lines.push(
        `Default: ${defaultOf(key, defaults[key])}. Example: \`${meta?.example ?? ""}\`.`,
        "",
      );
      continue;
    }
    const fieldDefaults: Record<string, unknown> = inner.parse({});
    const shape: Record<string, z.ZodType> = inner.shape;
    lines.push("| Field | Allowed | Default |", "| --- | --- | --- |");
    for (const [name, child] of Object.entries(shape)) {
      const childMeta = metaOf(child);
      lines.push(
        `| \`${name}\` | ${cell(childMeta?.allowed ?? "")} | ${cell(defaultOf(`${key}.${name}`, fieldDefaults[name]))} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
