#!/usr/bin/env node
// A stand-in for the `pulumi` CLI, put first on PATH by the review tests so that the Automation
// API's own code (@pulumi/pulumi/automation) runs unchanged up to the process boundary. It answers
// the commands the SDK runs (version, whoami, stack init/select/rm/ls/tag/output/history/export,
// up, destroy) with the output and exit codes the real CLI gives, keeps stacks in the backend's
// folder, honours locks and the passphrase as a self-managed backend does, and records every
// command it ran. `up` and `destroy` live in pulumi-standin-engine.js.
//
// Environment: SLIPWAY_STANDIN_LOG (a JSON-lines file of the commands run), SLIPWAY_STANDIN_STATE
// (where stacks of non-file backends live), SLIPWAY_STANDIN_SCENARIO (a JSON file: `latencyMs`
// per command, `failures` as { stderr, code } per command or per `<command> <stack>`,
// `tagsUnsupported`, `version`, `engineFailure`),
// SLIPWAY_STANDIN_NOW (the clock, ISO 8601).
/* global setTimeout */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { Store, fail, now, projectName, readScenario } = require("./pulumi-standin-store");

const VALUE_FLAGS = new Set([
  "--stack",
  "--exec-kind",
  "--event-log",
  "--policy-pack",
  "--message",
  "--page-size",
  "--page",
  "--secrets-provider",
  "--exec-agent",
  "--client",
]);

function parse(argv) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--non-interactive") continue;
    if (VALUE_FLAGS.has(arg)) {
      (flags[arg] ??= []).push(argv[++i]);
    } else if (arg.startsWith("--")) {
      flags[arg] = [true];
    } else {
      positional.push(arg);
    }
  }
  return { flags, positional, flag: (name) => flags[name]?.[0] };
}

function record(argv, started, code) {
  const log = process.env.SLIPWAY_STANDIN_LOG;
  if (!log) return;
  const env = {};
  for (const key of [
    "PULUMI_BACKEND_URL",
    "PULUMI_SKIP_UPDATE_CHECK",
    "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER",
    "PULUMI_AUTOMATION_API",
  ]) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  env.PULUMI_CONFIG_PASSPHRASE =
    process.env.PULUMI_CONFIG_PASSPHRASE === undefined ? null : "(set)";
  const line = { argv, cwd: process.cwd(), env, code, ms: Date.now() - started };
  fs.appendFileSync(log, `${JSON.stringify(line)}\n`);
}

/** The command's name for scenarios: `up`, `destroy`, `stack ls`, `stack init`, `version`. */
function commandName(positional) {
  return positional[0] === "stack" || positional[0] === "config"
    ? positional.slice(0, positional[1] === "tag" ? 3 : 2).join(" ")
    : (positional[0] ?? "");
}

async function run(argv) {
  const { flags, positional, flag } = parse(argv);
  const name = commandName(positional);
  const scenario = readScenario();
  const latency = scenario.latencyMs?.[name] ?? scenario.latencyMs?.default ?? 0;
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  const scripted = scenario.failures?.[`${name} ${flag("--stack")}`] ?? scenario.failures?.[name];
  if (scripted) fail(scripted.stderr, scripted.code ?? 255);

  if (name === "version") return out(`v${scenario.version ?? "3.270.0"}\n`);
  const store = new Store(projectName(process.cwd()));
  if (name === "whoami") {
    store.requireLogin();
    const user = require("node:os").userInfo().username;
    return out(`${JSON.stringify({ user, organizations: [], url: store.url }, null, 4)}\n`);
  }
  store.requireLogin();
  const stackName = flag("--stack");
  switch (name) {
    case "stack init":
      return stackInit(store, positional[2]);
    case "stack select":
      store.require(stackName);
      store.setCurrent(stackName);
      return 0;
    case "stack rm":
      return stackRemove(store, positional[2] ?? stackName, flags);
    case "stack ls":
      return out(`${JSON.stringify(store.summaries(), null, 4)}\n`);
    case "stack tag set":
      if (scenario.tagsUnsupported) fail("error: stack tags are not supported by this backend");
      store.update(stackName, (s) => (s.tags[positional[3]] = positional[4]));
      return 0;
    case "stack tag ls":
      return out(`${JSON.stringify(store.require(stackName).tags, null, 4)}\n`);
    case "stack output":
      return stackOutput(store, store.require(stackName), Boolean(flag("--show-secrets")));
    case "stack history":
      return stackHistory(store, store.require(stackName), flags);
    case "stack export":
      return stackExport(store, store.require(stackName));
    case "up":
    case "destroy":
      return require("./pulumi-standin-engine").run(name, store, stackName, { flags, flag });
    default:
      fail(`error: unknown command "${positional.join(" ")}" for "pulumi"`);
  }
}

function out(text) {
  process.stdout.write(text);
  return 0;
}

function stackInit(store, name) {
  if (store.exists(name)) fail(`error: stack '${name}' already exists`);
  store.create(name);
  store.ensureSecretsConfig(name, { creating: true });
  store.setCurrent(name);
  return out(`Created stack '${name}'\n`);
}

function stackRemove(store, name, flags) {
  const stack = store.require(name);
  if (stack.resources.length > 0 && !flags["--force"]) {
    fail(
      `error: '${name}' still has resources; removal rejected. Possible actions:\n` +
        `- Make sure that '${name}' is the stack that you want to destroy\n` +
        "- Run `pulumi destroy` to delete the resources, then run `pulumi stack rm`\n" +
        "- Run `pulumi stack rm --force` to override this error",
    );
  }
  store.remove(name);
  if (!flags["--preserve-config"]) {
    fs.rmSync(path.join(process.cwd(), `Pulumi.${name}.yaml`), { force: true });
  }
  return out(`Stack '${name}' has been removed!\n`);
}

function stackOutput(store, stack, showSecrets) {
  if (showSecrets) store.requirePassphrase(stack);
  const outputs = {};
  for (const [key, value] of Object.entries(stack.outputs)) {
    outputs[key] = !showSecrets && stack.secretOutputs.includes(key) ? "[secret]" : value;
  }
  return out(`${JSON.stringify(outputs, null, 4)}\n`);
}

function stackHistory(store, stack, flags) {
  if (flags["--show-secrets"]) store.requirePassphrase(stack);
  const size = Number(flags["--page-size"]?.[0] ?? 10);
  const page = Number(flags["--page"]?.[0] ?? 1);
  const newest = [...stack.history].reverse().slice((page - 1) * size, page * size);
  return out(`${JSON.stringify(newest, null, 4)}\n`);
}

function stackExport(store, stack) {
  store.requirePassphrase(stack);
  const deployment = {
    version: 3,
    deployment: {
      manifest: { time: stack.lastUpdate ?? now().toISOString(), magic: "", version: "v3.270.0" },
      secrets_providers: store.isCloud
        ? { type: "service", state: {} }
        : { type: "passphrase", state: { salt: stack.salt } },
      resources: stack.resources,
    },
  };
  return out(`${JSON.stringify(deployment, null, 4)}\n`);
}

const started = Date.now();
const argv = process.argv.slice(2);
run(argv).then(
  (code) => {
    record(argv, started, code);
    process.exitCode = code;
  },
  (error) => {
    const code = error.exitCode ?? 255;
    if (error.exitCode === undefined) process.stderr.write(`error: ${error.stack}\n`);
    else process.stderr.write(`${error.message}\n`);
    record(argv, started, code);
    process.exitCode = code;
  },
);
