// The three faces of a plan: a tree for people, JSON for scripts, Markdown for pull requests.
import type { CapturedResource } from "./capture";
import type { StackPlan, Violation } from "./index";
import { redact } from "./values";

export type Format = "text" | "json" | "markdown";
export const FORMATS: readonly Format[] = ["text", "json", "markdown"];

/** The serialized dynamic provider: engine plumbing, kilobytes of code, not an input anyone set. */
const HIDDEN_INPUTS = new Set(["__provider"]);

export function render(plans: readonly StackPlan[], format: Format): string {
  switch (format) {
    case "json":
      return JSON.stringify(toJson(plans), null, 2) + "\n";
    case "markdown":
      return renderMarkdown(plans);
    case "text":
      return renderText(plans);
  }
}

/**
 * The warnings as stderr lines, each line named by its stack (`warning: [staging] ...`), for the
 * formats whose stdout is read by a program or pasted elsewhere. Text shows them in the tree.
 */
export function warningLines(plans: readonly StackPlan[], format: Format): string {
  if (format === "text") return "";
  // Every line of a warning carries the prefix, so a line filtered out of the log still says
  // which stack it is about.
  return plans
    .flatMap((p) => p.warnings.flatMap((w) => w.split("\n")).map((line) => [p.stack, line]))
    .map(([stack, line]) => `warning: [${stack}] ${line}\n`)
    .join("");
}

export function toJson(plans: readonly StackPlan[]) {
  return {
    stacks: plans.map((p) => ({
      stack: p.stack,
      kind: p.kind,
      resources: p.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        protect: r.protect,
        inputs: shownInputs(r),
      })),
      violations: p.violations.map((v) => ({
        policy: v.policy,
        enforcementLevel: v.enforcementLevel,
        urn: v.urn ?? null,
        message: v.message,
      })),
      warnings: p.warnings,
      outputs: redact(p.outputs),
    })),
  };
}

export function shownInputs(resource: CapturedResource): Record<string, unknown> {
  const shown = Object.entries(resource.inputs).filter(([k]) => !HIDDEN_INPUTS.has(k));
  return redact(Object.fromEntries(shown)) as Record<string, unknown>;
}

function renderText(plans: readonly StackPlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    lines.push(`stack ${plan.stack} (${plan.kind}): ${count(plan.resources.length, "resource")}`);
    const children = childrenByParent(plan.resources);
    const roots = plan.resources.filter(
      (r) => !r.parent || !plan.resources.some((p) => p.urn === r.parent),
    );
    const walk = (resource: CapturedResource, prefix: string, last: boolean, depth: number) => {
      const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
      const marks = resource.protect ? " [protected]" : "";
      lines.push(`${prefix}${branch}${resource.type} ${resource.name}${marks}`);
      const kids = children.get(resource.urn) ?? [];
      const nextPrefix = depth === 0 ? prefix : prefix + (last ? "   " : "│  ");
      kids.forEach((kid, i) => walk(kid, nextPrefix, i === kids.length - 1, depth + 1));
    };
    roots.forEach((root, i) => walk(root, "  ", i === roots.length - 1, 0));
    lines.push(...plan.warnings.map((w) => entry("warning", w)));
    lines.push(...violationLines(plan.violations), "");
  }
  lines.push(summary(plans));
  return lines.join("\n") + "\n";
}

function violationLines(violations: readonly Violation[]): string[] {
  if (violations.length === 0) return ["  policies: no violations"];
  return [
    `  policies: ${count(violations.length, "violation")}`,
    ...violations.map((v) =>
      entry(v.enforcementLevel, `${v.policy}: ${v.message}${v.urn ? `\nat ${v.urn}` : ""}`),
    ),
  ];
}

/** `  advisory  text`: lines after the first keep the entry's indentation, under the label column. */
function entry(label: string, text: string): string {
  return `  ${label.padEnd(9)} ${text}`.replace(/\n/g, `\n${" ".repeat(12)}`);
}

function summary(plans: readonly StackPlan[]): string {
  const all = plans.flatMap((p) => p.violations);
  const mandatory = all.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = all.filter((v) => v.enforcementLevel === "advisory").length;
  const resources = plans.reduce((n, p) => n + p.resources.length, 0);
  const warnings = plans.reduce((n, p) => n + p.warnings.length, 0);
  // Each noun follows the number before it: "1 mandatory violation, 2 advisory".
  return [
    count(plans.length, "stack"),
    count(resources, "resource"),
    count(mandatory, "mandatory violation"),
    `${advisory} advisory`,
    count(warnings, "warning"),
  ].join(", ");
}

/** `1 stack`, `2 stacks`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function childrenByParent(resources: readonly CapturedResource[]): Map<string, CapturedResource[]> {
  const children = new Map<string, CapturedResource[]>();
  for (const r of resources) {
    if (!r.parent) continue;
    children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  return children;
}

function renderMarkdown(plans: readonly StackPlan[]): string {
  const out: string[] = ["## slipway plan", "", summary(plans) + ".", ""];
  // Warnings first, named by stack: they are what a reviewer should read before the details.
  const warnings = plans.flatMap((p) => p.warnings.map((w) => `- **${p.stack}**: ${cell(w)}`));
  if (warnings.length > 0) out.push("Warnings:", "", ...warnings, "");
  out.push(...mermaid(plans), "");
  out.push(
    "| Stack | Kind | Resources | Mandatory | Advisory | Warnings |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  );
  for (const p of plans) {
    const count = (level: string) =>
      p.violations.filter((v) => v.enforcementLevel === level).length;
    out.push(
      `| ${p.stack} | ${p.kind} | ${p.resources.length} | ${count("mandatory")} | ${count("advisory")} | ${p.warnings.length} |`,
    );
  }
  for (const p of plans) {
    out.push("", `### ${p.stack}`, "");
    if (p.violations.length > 0) {
      out.push("| Level | Policy | Resource | Message |", "| --- | --- | --- | --- |");
      for (const v of p.violations) {
        out.push(
          `| ${v.enforcementLevel} | \`${v.policy}\` | ${v.urn ? `\`${v.urn.split("::").pop() ?? ""}\`` : "stack"} | ${cell(v.message)} |`,
        );
      }
      out.push("");
    }
    out.push(
      "<details><summary>Resources</summary>",
      "",
      "| Name | Type | Protected |",
      "| --- | --- | :---: |",
    );
    for (const r of p.resources)
      out.push(`| ${cell(r.name)} | \`${r.type}\` | ${r.protect ? "yes" : ""} |`);
    out.push("", "</details>");
  }
  return out.join("\n") + "\n";
}

const APP_TYPE = "pulumi-nodejs:dynamic/heroku:App";
const DATABASE_TYPES = new Set(["aws:rds/instance:Instance"]);
const ADDON_TYPE = "pulumi-nodejs:dynamic/heroku:Addon";

/** review -> staging -> production, with each stack's apps and databases. */
function mermaid(plans: readonly StackPlan[]): string[] {
  const lines = ["```mermaid", "flowchart LR"];
  const byKind = (kind: string) => plans.filter((p) => p.kind === kind);
  const stages: [string, string][] = [
    ["review", "review stacks"],
    ["staging", "staging"],
    ["production", "production"],
  ];
  for (const [kind, title] of stages) {
    lines.push(`  subgraph ${kind}["${title}"]`);
    const stackPlans = byKind(kind);
    if (stackPlans.length === 0) {
      lines.push(
        `    ${kind}_none["${kind === "review" ? "one app per pull request" : "not planned"}"]`,
      );
    }
    for (const p of stackPlans) {
      for (const r of p.resources) {
        if (r.type === APP_TYPE) lines.push(`    ${nodeId(p.stack, r)}["app ${label(r)}"]`);
        if (DATABASE_TYPES.has(r.type))
          lines.push(`    ${nodeId(p.stack, r)}[("RDS ${label(r)}")]`);
        const plan = r.inputs["plan"];
        if (
          r.type === ADDON_TYPE &&
          typeof plan === "string" &&
          plan.startsWith("heroku-postgresql")
        ) {
          lines.push(`    ${nodeId(p.stack, r)}[("${plan}")]`);
        }
      }
      const apps = p.resources.filter((r) => r.type === APP_TYPE);
      const stores = p.resources.filter((r) => DATABASE_TYPES.has(r.type) || r.type === ADDON_TYPE);
      for (const app of apps)
        for (const store of stores)
          lines.push(`    ${nodeId(p.stack, app)} -.- ${nodeId(p.stack, store)}`);
    }
    lines.push("  end");
  }
  lines.push(
    `  review -- "merge to the staging branch" --> staging`,
    `  staging -- "slipway promote" --> production`,
    "```",
  );
  return lines;
}

function label(r: CapturedResource): string {
  const named = r.inputs["name"] ?? r.inputs["identifier"];
  return (typeof named === "string" ? named : r.name).replace(/"/g, "'");
}

function nodeId(stack: string, r: CapturedResource): string {
  return `${stack}_${r.name}`.replace(/[^A-Za-z0-9_]/g, "_");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
