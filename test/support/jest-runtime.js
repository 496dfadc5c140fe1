// Jest's module runtime, made cheaper where planning tests spend their time; jest.config.js names
// it as `runtime`, so every test file gets it. Each change keeps what tests observe.
//
// Coverage. Jest (through collect-v8-coverage) turns on the inspector's Debugger for each test
// file and starts and stops precise coverage around it. With the Debugger on, V8 compiles every
// script afresh and reports it to the inspector: with the Pulumi SDKs, about 1,700 scripts per
// test file; restarting coverage deoptimizes all code in the worker. Here coverage starts once
// per worker, without the Debugger, and each test file takes its counts (which resets them), so
// the SDKs compile once per worker. The Debugger stopped a measured file from reusing code an
// earlier test file compiled (jest issue 14766: coverage fell as test files were added); instead,
// each measured file gets a source text of its own per test file, so V8 compiles it afresh.
//
// Dependencies' sources. Jest reads and passes through the transformer every file each test file
// loads: 1,700 files of node_modules per planning test. Files no transform changes are read once
// per worker here.

"use strict";
const inspector = require("node:inspector");
const path = require("node:path");
const Runtime = require("jest-runtime").default;
const { shouldInstrument } = require("@jest/transform");

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Sources of dependency files that no transform changes, by file name, read once per worker. */
const dependencySources = new Map();

/**
 * Packages loaded once per worker and shared by its test files (their context is shared too:
 * jest-environment.js), by file name. Not @pulumi/policy, which allows one pack per process,
 * nor anything a test file mocks (that file loads its own copies).
 */
const sharedPackages = new Map();
const UNSHARED = `${NODE_MODULES}@pulumi${path.sep}policy${path.sep}`;

/** The runtime of the test file running now: shared packages load their own packages through it. */
const live = { runtime: undefined };

/** One inspector session per worker process, with precise coverage running from the first file. */
let session;
let testFiles = 0;

function post(method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

class SlipwayRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    this.testFile = ++testFiles;
    live.runtime = this;
  }

  requireModule(from, moduleName, options, isRequireActual = false) {
    if (
      !this._environment.sharesContext ||
      options?.isInternalModule ||
      !moduleName ||
      this._resolver.isCoreModule(moduleName)
    ) {
      return super.requireModule(from, moduleName, options, isRequireActual);
    }
    let modulePath;
    try {
      modulePath = this._resolveCjsModule(from, moduleName);
    } catch {
      return super.requireModule(from, moduleName, options, isRequireActual);
    }
    if (!modulePath.includes(NODE_MODULES) || modulePath.includes(UNSHARED)) {
      return super.requireModule(from, moduleName, options, isRequireActual);
    }
    const known = sharedPackages.get(modulePath);
    if (known !== undefined) return known.exports;
    // A package loaded by an earlier test file requires another lazily: the runtime of that
    // file is gone, the current one loads it.
    if (this !== live.runtime && this.isTornDown) {
      return live.runtime.requireModule(from, moduleName, options, isRequireActual);
    }
    const exports = super.requireModule(from, moduleName, options, isRequireActual);
    const loaded = this._moduleRegistry.get(modulePath);
    if (loaded !== undefined && this._explicitShouldMock.size === 0) {
      sharedPackages.set(modulePath, loaded);
    }
    return exports;
  }

  transformFile(filename, options) {
    if (options?.isInternalModule || !filename.includes(NODE_MODULES)) {
      return super.transformFile(filename, options);
    }
    const known = dependencySources.get(filename);
    if (known === undefined) {
      const code = super.transformFile(filename, options);
      if (this._fileTransforms.get(filename).originalCode === code) {
        dependencySources.set(filename, code);
      }
      return code;
    }
    this._fileTransforms.set(filename, {
      code: known,
      originalCode: known,
      sourceMapPath: null,
      wrapperLength: this.constructModuleWrapperStart().length,
    });
    return known;
  }

  createScriptFromCode(source, filename) {
    const measured =
      this._v8CoverageSources !== undefined &&
      shouldInstrument(filename, this._coverageOptions, this._config);
    // A comment after the code: it moves no offset, only changes the text V8 keys its cache on.
    return super.createScriptFromCode(
      measured ? `${source}\n// test file ${this.testFile}` : source,
      filename,
    );
  }

  async collectV8Coverage() {
    this._v8CoverageSources = new Map();
    if (session) return;
    session = new inspector.Session();
    session.connect();
    await post("Profiler.enable");
    await post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  }

  async stopCollectingV8Coverage() {
    const { result } = await post("Profiler.takePreciseCoverage");
    this._v8CoverageResult = result;
    this._v8CoverageSources = new Map([...this._v8CoverageSources, ...this._fileTransforms]);
  }
}

module.exports = SlipwayRuntime;
