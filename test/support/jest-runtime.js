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
// TypeScript. The Pulumi SDK parses every function it serializes (a dynamic provider and all it
// references) with the `typescript` package, which ts-jest has already loaded in the worker. Test
// files get that copy instead of evaluating its 9 MB again in each file, under coverage counters.
// It is pure: it takes and returns plain data, so which realm its objects come from is no matter.
// The SDK's closure/v8 module (how the serializer reads a function's captured variables) is
// shared too: it opens an inspector session with the Debugger on and a vm context of its own,
// once per worker instead of once per test file (each Debugger.enable recompiles every script).
//
// Dependencies' sources. Jest reads and passes through the transformer every file each test file
// loads: 1,700 files of node_modules per planning test. Files no transform changes are read once
// per worker here.
//
// require.cache. The SDK's serializer looks each captured module up in `require.cache`, once per
// module it meets. Jest's `require.cache` is a proxy that answers one key at a time, which made
// that lookup the slowest part of serializing a provider; here it is a plain object, rebuilt
// when the module registry has changed.
"use strict";
const inspector = require("node:inspector");
const path = require("node:path");
const Runtime = require("jest-runtime").default;
const { shouldInstrument } = require("@jest/transform");

/** Modules test files share with the worker itself (see above for why each is safe). */
const SHARED_PACKAGES = new Set(["typescript"]);
const SHARED_FILES = new Set([require.resolve("@pulumi/pulumi/runtime/closure/v8")]);

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Sources of dependency files that no transform changes, by file name, read once per worker. */
const dependencySources = new Map();

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
  }

  requireModuleOrMock(from, moduleName) {
    if (SHARED_PACKAGES.has(moduleName)) return require(moduleName);
    if (moduleName.startsWith(".")) {
      const file = `${path.resolve(path.dirname(from), moduleName)}.js`;
      if (SHARED_FILES.has(file)) return require(file);
    }
    return super.requireModuleOrMock(from, moduleName);
  }

  _createRequireImplementation(from, options) {
    const moduleRequire = super._createRequireImplementation(from, options);
    let registry;
    let size = -1;
    let cache = {};
    Object.defineProperty(moduleRequire, "cache", {
      get: () => {
        if (registry !== this._moduleRegistry || size !== this._moduleRegistry.size) {
          registry = this._moduleRegistry;
          size = registry.size;
          cache = Object.fromEntries(registry);
        }
        return cache;
      },
    });
    return moduleRequire;
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
