// The stand-in `pulumi`'s backend: stacks kept as JSON under the backend's folder (as a
// self-managed backend keeps them under `.pulumi/stacks/<project>/`), lock files where a real
// update holds them (`.pulumi/locks/organization/<project>/<stack>/`), and the passphrase checked
// against each stack's salt. A `https://` backend plays Pulumi Cloud: an access token is needed,
// and `stack ls` reports running updates and console URLs.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/** `yaml` is loaded only by the commands that read or write YAML, to keep the others quick. */
const yaml = () => require("yaml");

/** Ends the command the way the CLI does: the message on stderr, exit code 255. */
function fail(message, code = 255) {
  const error = new Error(message);
  error.exitCode = code;
  throw error;
}

function now() {
  return process.env.SLIPWAY_STANDIN_NOW ? new Date(process.env.SLIPWAY_STANDIN_NOW) : new Date();
}

function readScenario() {
  const file = process.env.SLIPWAY_STANDIN_SCENARIO;
  return file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
}

function projectName(dir) {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) fail("error: no Pulumi.yaml project file found");
  return /^name:\s*(\S+)/m.exec(fs.readFileSync(file, "utf8"))?.[1];
}

const MISSING_PASSPHRASE =
  "error: getting secrets manager: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or " +
  "PULUMI_CONFIG_PASSPHRASE_FILE environment variables";
const WRONG_PASSPHRASE =
  "error: getting secrets manager: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to " +
  "the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase";

class Store {
  constructor(project) {
    this.project = project;
    this.url = process.env.PULUMI_BACKEND_URL ?? "https://api.pulumi.com";
    this.isCloud = /^https?:\/\//.test(this.url);
    this.root = this.url.startsWith("file://")
      ? this.url.slice("file://".length).replace(/^~(?=\/|$)/, os.homedir())
      : path.join(
          process.env.SLIPWAY_STANDIN_STATE ?? os.tmpdir(),
          this.url.replace(/[^a-z0-9]+/gi, "_"),
        );
  }

  requireLogin() {
    if (this.isCloud && !process.env.PULUMI_ACCESS_TOKEN) {
      fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    }
    if (this.url.startsWith("file://") && !fs.existsSync(this.root)) {
      fail(
        `error: problem logging in: unable to open bucket ${this.url}: open ${this.root}: no such file or directory`,
      );
    }
  }

  stacksDir() {
    return stacksDir(this.root, this.project);
  }

  file(name) {
    return path.join(this.stacksDir(), `${name}.json`);
  }

  lockDir(name) {
    return path.join(this.root, ".pulumi", "locks", "organization", this.project, name);
  }

  exists(name) {
    return fs.existsSync(this.file(name));
  }

  require(name) {
    if (!name || !this.exists(name)) fail(`error: no stack named '${name}' found`);
    return JSON.parse(fs.readFileSync(this.file(name), "utf8"));
  }

  save(stack) {
    writeStack(this.root, this.project, stack);
  }

  update(name, change) {
    const stack = this.require(name);
    change(stack);
    this.save(stack);
    return stack;
  }

  create(name) {
    const salt = `v1:${crypto.randomBytes(8).toString("base64")}:v1:standin`;
    let passphraseCheck;
    if (!this.isCloud) passphraseCheck = check(salt, this.passphrase() ?? fail(MISSING_PASSPHRASE));
    this.save(newStack({ name, created: now().toISOString(), salt, passphraseCheck }));
  }

  remove(name) {
    fs.rmSync(this.file(name), { force: true });
    fs.rmSync(this.lockDir(name), { recursive: true, force: true });
  }

  setCurrent(name) {
    fs.mkdirSync(path.join(this.root, ".pulumi"), { recursive: true });
    fs.writeFileSync(path.join(this.root, ".pulumi", `standin-current-${this.project}`), name);
  }

  current() {
    const file = path.join(this.root, ".pulumi", `standin-current-${this.project}`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  }

  locks(name) {
    const dir = this.lockDir(name);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  }

  /** Takes the stack's lock as an update does; refuses when another holds it. */
  lock(name) {
    const held = this.locks(name);
    if (held.length > 0) {
      if (this.isCloud) fail("error: [409] Conflict: Another update is currently in progress.");
      fail(
        `error: the stack is currently locked by ${held.length} lock(s). Either wait for the other ` +
          "process(es) to end or delete the lock file with `pulumi cancel`.\n" +
          held.map((f) => `  ${this.url}/.pulumi/locks/${f}: created by standin`).join("\n"),
      );
    }
    const file = path.join(this.lockDir(name), `${crypto.randomUUID()}.json`);
    fs.mkdirSync(this.lockDir(name), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, timestamp: now().toISOString() }));
    return () => fs.rmSync(file, { force: true });
  }

  summaries() {
    const dir = this.stacksDir();
    const names = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => f.slice(0, -5))
      : [];
    const current = this.current();
    return names.sort().map((name) => {
      const stack = this.require(name);
      const summary = { name, current: name === current };
      const locked = this.locks(name).length > 0;
      if (this.isCloud) {
        if (locked) summary.updateInProgress = true;
        else if (stack.lastUpdate) {
          summary.lastUpdate = stack.lastUpdate;
          summary.updateInProgress = false;
        }
        summary.resourceCount = stack.resources.length;
        summary.url = `https://app.pulumi.com/standin/${this.project}/${name}`;
      } else if (stack.lastUpdate) {
        summary.lastUpdate = stack.lastUpdate;
        summary.resourceCount = stack.resources.length;
      }
      return summary;
    });
  }

  passphrase() {
    if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
      return process.env.PULUMI_CONFIG_PASSPHRASE;
    }
    const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
    return file && fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
  }

  /** Self-managed backends decrypt with the passphrase; the wrong one is refused. */
  requirePassphrase(stack) {
    if (this.isCloud) return;
    const passphrase = this.passphrase();
    if (passphrase === undefined) fail(MISSING_PASSPHRASE);
    if (check(stack.salt, passphrase) !== stack.passphraseCheck) fail(WRONG_PASSPHRASE);
  }

  /**
   * The salt in Pulumi.<stack>.yaml, as the CLI keeps it: written at init; when the file lacks
   * it (a fresh checkout), restored from the state only if PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER
   * is set, otherwise a new salt that cannot decrypt the state.
   */
  ensureSecretsConfig(name, { creating }) {
    if (this.isCloud) return;
    const stack = this.require(name);
    this.requirePassphrase(stack);
    const file = path.join(process.cwd(), `Pulumi.${name}.yaml`);
    const doc = fs.existsSync(file) ? (yaml().parse(fs.readFileSync(file, "utf8")) ?? {}) : {};
    if (doc.encryptionsalt === stack.salt) return;
    if (!creating && process.env.PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER !== "true") {
      fail(`error: decrypting secret value: failed to decrypt: ${WRONG_PASSPHRASE.slice(7)}`);
    }
    doc.encryptionsalt = stack.salt;
    fs.writeFileSync(file, yaml().stringify(doc));
  }
}

/** A stack as `stack init` leaves it: no resources, outputs, history or tags yet. */
function newStack(fields) {
  return { tags: {}, outputs: {}, secretOutputs: [], resources: [], history: [], ...fields };
}

function stacksDir(root, project) {
  return path.join(root, ".pulumi", "stacks", project);
}

function writeStack(root, project, stack) {
  fs.mkdirSync(stacksDir(root, project), { recursive: true });
  fs.writeFileSync(
    path.join(stacksDir(root, project), `${stack.name}.json`),
    JSON.stringify(stack, null, 2),
  );
}

function check(salt, passphrase) {
  return crypto.createHash("sha256").update(`${salt}\0${passphrase}`).digest("hex");
}

module.exports = { Store, fail, now, projectName, readScenario };

/**
 * Writes a stack into a backend folder as the stand-in keeps it, for tests that need stacks the
 * stand-in did not make (production with its outputs, stacks of a given age).
 */
function seedStack(root, project, passphrase, fields) {
  const salt = "v1:c2VlZGVk:v1:standin";
  const seeded = {
    created: new Date(0).toISOString(),
    salt,
    passphraseCheck: check(salt, passphrase),
  };
  writeStack(root, project, newStack({ ...seeded, ...fields }));
}

module.exports.seedStack = seedStack;
