// The stand-in `pulumi`'s `up` and `destroy`: the CLI's checks (project config, passphrase, the
// stack's lock), then what slipway's review program does to Heroku (an app in the pipeline's
// review stage with its buildpacks, one web dyno and the review add-ons) done against
// HEROKU_API_URL, reported as the real CLI reports it: an engine event log streamed to the
// Automation API's events server (`--event-log tcp://...`, or a file), progress lines on stdout,
// a summary, and a checkpoint with outputs and history.
/* global fetch */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");
const { fail, now, readScenario } = require("./pulumi-standin-store");

const USER_AGENT = "pulumi-standin/3.270.0 (slipway review tests)";
const APP_TYPE = "pulumi-nodejs:dynamic/heroku:App";

async function run(command, store, stackName, { flag, flags }) {
  const stack = store.require(stackName);
  const config = stackConfig(stackName);
  store.ensureSecretsConfig(stackName, { creating: false });
  for (const pack of flags["--policy-pack"] ?? []) {
    if (!fs.existsSync(path.resolve(pack, "PulumiPolicy.yaml"))) {
      fail(`error: could not find a policy pack at ${pack}`);
    }
  }
  const unlock = store.lock(stackName);
  const events = await eventSink(flag("--event-log"));
  const started = now();
  const report = reporter(events, stackName, store.project);
  const state = { resources: [...stack.resources], outputs: { ...stack.outputs } };
  let failure;
  try {
    events.send({ preludeEvent: { config: flatten(config) } });
    process.stdout.write(`${command === "up" ? "Updating" : "Destroying"} (${stackName})\n\n`);
    if (command === "up") await up(config, store, report, state);
    else await destroy(report, state);
  } catch (error) {
    failure = error;
  }
  const changes = report.changes();
  const result = failure ? "failed" : "succeeded";
  events.send({
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: Math.round((now() - started) / 1000),
      resourceChanges: changes,
      policyPacks: Object.fromEntries((flags["--policy-pack"] ?? []).map((p) => [p, "0.1.0"])),
    },
  });
  events.send({ cancelEvent: {} });
  await events.close();
  store.update(stackName, (s) => {
    s.resources = state.resources;
    s.outputs = state.outputs;
    s.lastUpdate = now().toISOString();
    s.history.push({
      version: s.history.length + 1,
      kind: command === "up" ? "update" : "destroy",
      startTime: started.toISOString(),
      message: flag("--message") ?? "",
      environment: { "exec.kind": flag("--exec-kind") ?? "cli" },
      config: {},
      result,
      endTime: now().toISOString(),
      resourceChanges: changes,
    });
  });
  unlock();
  printSummary(command, stackName, state, changes);
  if (failure) fail(failure.stderr ?? `error: ${command === "up" ? "update" : "destroy"} failed`);
  return 0;
}

/** Pulumi.<stack>.yaml's config with Pulumi.yaml's defaults, checked as the CLI checks it. */
function stackConfig(stackName) {
  const project = YAML.parse(fs.readFileSync(path.join(process.cwd(), "Pulumi.yaml"), "utf8"));
  const file = path.join(process.cwd(), `Pulumi.${stackName}.yaml`);
  const own = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, "utf8"))?.config ?? {}) : {};
  const config = {};
  const missing = [];
  for (const [key, declared] of Object.entries(project.config ?? {})) {
    if (key in own) {
      if (declared.type === "object" && (typeof own[key] !== "object" || Array.isArray(own[key]))) {
        fail(
          `error: Stack '${stackName}' with configuration key '${key}' must be of type 'object'`,
        );
      }
      config[key] = own[key];
    } else if (declared.default !== undefined) config[key] = declared.default;
    else if (key.startsWith(`${project.name}:`)) missing.push(`'${key}'`);
  }
  if (missing.length > 0) {
    const values = missing.length > 1 ? "values" : "value";
    fail(`error: Stack '${stackName}' is missing configuration ${values} ${missing.join(", ")}`);
  }
  return { ...own, ...config };
}

/** What slipway's review program declares, done against Heroku as its providers would. */
async function up(config, store, report, state) {
  const app = config["slipway:app"];
  const reviewApps = {
    addons: ["heroku-postgresql:essential-0"],
    size: "basic",
    ...config["slipway:reviewApps"],
  };
  const productionStack = String(config["slipway:pipeline"]?.productionStack ?? "production");
  const reference = productionStack.split("/").pop();
  const root = `${store.project}-${report.stack}`;
  report.done(
    state.resources.length > 0 ? "same" : "create",
    "pulumi:pulumi:Stack",
    root,
    {},
    state,
  );
  if (!store.exists(reference)) {
    throw report.error(
      "pulumi:pulumi:StackReference",
      productionStack,
      `unknown stack "${productionStack}"`,
    );
  }
  const pipelineId = store.require(reference).outputs.pipelineId;
  if (typeof pipelineId !== "string") {
    throw report.error(
      "pulumi:pulumi:StackReference",
      productionStack,
      `Required output 'pipelineId' does not exist on stack '${productionStack}'.`,
    );
  }
  const scenario = readScenario();
  const previous = state.resources.find((r) => r.type === APP_TYPE)?.outputs.name;
  let found = previous === undefined ? undefined : await heroku(report, "GET", `/apps/${previous}`);
  if (found && previous !== app.name) {
    found = await heroku(report, "PATCH", `/apps/${previous}`, { name: app.name });
    report.done("update", APP_TYPE, "app", appOutputs(app, found), state);
  } else if (found) {
    report.done("same", APP_TYPE, "app", appOutputs(app, found), state);
  } else {
    const body = { name: app.name, region: app.region ?? "us", stack: app.stack ?? "heroku-24" };
    found = app.team
      ? await heroku(report, "POST", "/teams/apps", { ...body, team: app.team })
      : await heroku(report, "POST", "/apps", body);
    report.done("create", APP_TYPE, "app", appOutputs(app, found), state);
    const buildpacks = (app.buildpacks ?? ["heroku/nodejs"]).map((buildpack) => ({ buildpack }));
    await heroku(report, "PUT", `/apps/${app.name}/buildpack-installations`, {
      updates: buildpacks,
    });
    report.done("create", "pulumi-nodejs:dynamic/heroku:Buildpacks", "app-buildpacks", {}, state);
    if (scenario.engineFailure) {
      throw report.error("pulumi-nodejs:dynamic/heroku:Addon", "app-addon", scenario.engineFailure);
    }
    await heroku(report, "PATCH", `/apps/${app.name}/formation`, {
      updates: [{ type: "web", quantity: 1, dyno_size: { name: reviewApps.size } }],
    });
    report.done("create", "pulumi-nodejs:dynamic/heroku:Formation", "app-formation", {}, state);
    for (const plan of reviewApps.addons) {
      const addon = await heroku(report, "POST", `/apps/${app.name}/addons`, { plan });
      report.done(
        "create",
        "pulumi-nodejs:dynamic/heroku:Addon",
        `app-${plan.split(":")[0]}`,
        { addonId: addon.id },
        state,
      );
    }
    const coupling = await heroku(report, "POST", "/pipeline-couplings", {
      app: app.name,
      pipeline: pipelineId,
      stage: "review",
    });
    report.done(
      "create",
      "pulumi-nodejs:dynamic/heroku:PipelineCoupling",
      "pipeline-coupling",
      { couplingId: coupling.id },
      state,
    );
  }
  state.outputs = { kind: "review", pipelineId, appName: found.name, webUrl: found.web_url };
}

function appOutputs(app, found) {
  return {
    ...app,
    name: found.name,
    appId: found.id,
    webUrl: found.web_url,
    gitUrl: found.git_url,
  };
}

/** Deletes what the state holds; Heroku deletes an app's add-ons, dynos and coupling with it. */
async function destroy(report, state) {
  for (const resource of [...state.resources].reverse()) {
    if (resource.type === APP_TYPE)
      await heroku(report, "DELETE", `/apps/${resource.outputs.name}`);
    report.deleted(resource);
  }
  state.resources = [];
  state.outputs = {};
}

async function heroku(report, method, pathname, body) {
  const token = process.env.HEROKU_API_KEY;
  if (!token) {
    throw report.error(
      APP_TYPE,
      "app",
      "HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set and the stack config has no heroku:apiKey.",
    );
  }
  const base = process.env.HEROKU_API_URL ?? "https://api.heroku.com";
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "User-Agent": USER_AGENT,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : undefined;
  if (response.status === 404 && (method === "GET" || method === "DELETE")) return undefined;
  if (!response.ok) {
    throw report.error(
      APP_TYPE,
      "app",
      `${method} ${pathname}: ${response.status} ${answer?.id}: ${answer?.message}`,
    );
  }
  return answer;
}

/** Engine events and CLI lines for each resource step, and the counts for the summary. */
function reporter(events, stack, project) {
  const counts = {};
  const urnOf = (type, name) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
  const step = (op, type, name, outputs) => {
    const metadata = {
      op,
      urn: urnOf(type, name),
      type,
      provider: "",
      new: { type, urn: urnOf(type, name), outputs },
    };
    events.send({ resourcePreEvent: { metadata, planning: false } });
    events.send({ resOutputsEvent: { metadata, planning: false } });
    counts[op] = (counts[op] ?? 0) + 1;
    const sign = { create: "+", update: "~", delete: "-", same: " " }[op];
    const verb = { create: "created", update: "updated", delete: "deleted", same: "" }[op];
    if (op !== "same") process.stdout.write(` ${sign}  ${type} ${name} ${verb} (1s)\n`);
  };
  return {
    stack,
    changes: () => ({ ...counts }),
    done(op, type, name, outputs, state) {
      step(op, type, name, outputs);
      state.resources = state.resources.filter((r) => r.urn !== urnOf(type, name));
      state.resources.push({
        urn: urnOf(type, name),
        custom: true,
        id: outputs.appId ?? name,
        type,
        inputs: {},
        outputs,
      });
    },
    deleted: (resource) => step("delete", resource.type, resource.urn.split("::").pop(), {}),
    error(type, name, message) {
      const urn = urnOf(type, name);
      events.send({
        diagnosticEvent: {
          urn,
          prefix: "error: ",
          message: `${message}\n`,
          color: "never",
          severity: "error",
        },
      });
      events.send({
        resOpFailedEvent: {
          metadata: { op: "create", urn, type, provider: "" },
          status: 1,
          steps: 1,
        },
      });
      process.stdout.write(`    ${type} (${name}):\n      error: ${message}\n`);
      const error = new Error(message);
      error.stderr = `error: ${message}`;
      return error;
    },
  };
}

function printSummary(command, stack, state, changes) {
  const outputs = Object.entries(state.outputs);
  if (outputs.length > 0) {
    process.stdout.write("\nOutputs:\n");
    for (const [key, value] of outputs)
      process.stdout.write(`    ${key}: ${JSON.stringify(value)}\n`);
  }
  process.stdout.write("\nResources:\n");
  for (const [op, count] of Object.entries(changes)) {
    const word = { create: "created", update: "updated", delete: "deleted", same: "unchanged" }[op];
    process.stdout.write(
      `    ${{ create: "+ ", update: "~ ", delete: "- " }[op] ?? ""}${count} ${word}\n`,
    );
  }
  process.stdout.write("\nDuration: 1s\n");
  if (command === "destroy") {
    process.stdout.write(
      "\nThe resources in the stack have been deleted, but the history and configuration " +
        `associated with the stack are still maintained.\nIf you want to remove the stack ` +
        `completely, run \`pulumi stack rm ${stack}\`.\n`,
    );
  }
}

/** Config values as the prelude event shows them: strings, objects as JSON. */
function flatten(config) {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** Where engine events go: the Automation API's gRPC events server, or a file (older SDKs). */
async function eventSink(target) {
  let sequence = 0;
  const envelope = (event) => ({
    sequence: sequence++,
    timestamp: Math.floor(Date.now() / 1000),
    ...event,
  });
  if (!target) return { send: () => undefined, close: async () => undefined };
  if (!target.startsWith("tcp://")) {
    return {
      send: (event) => fs.appendFileSync(target, `${JSON.stringify(envelope(event))}\n`),
      close: async () => undefined,
    };
  }
  const grpc = require("@grpc/grpc-js");
  const { EventsClient } = require("@pulumi/pulumi/proto/events_grpc_pb");
  const { EventRequest } = require("@pulumi/pulumi/proto/events_pb");
  const client = new EventsClient(target.slice("tcp://".length), grpc.credentials.createInsecure());
  let settle;
  const finished = new Promise((resolve, reject) => (settle = { resolve, reject }));
  const call = client.streamEvents((error) => (error ? settle.reject(error) : settle.resolve()));
  return {
    send(event) {
      const request = new EventRequest();
      request.setEvent(JSON.stringify(envelope(event)));
      call.write(request);
    },
    async close() {
      call.end();
      await finished;
      client.close();
    },
  };
}

module.exports = { run };
