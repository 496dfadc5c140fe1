// Jest's Node.js environment, with one global context per worker instead of one per test file,
// so that the packages a test file loads (the Pulumi SDKs above all: about 1 CPU second and 800
// modules each time) are loaded once per worker and shared by the files it runs afterwards
// (jest-runtime.js keeps them). A shared package must live in the test files' own context: the
// SDK tells arrays and promises apart with `instanceof`, which fails across contexts.
//
// What jest installs per test file is installed again on the shared context (the process
// object, the mock and fake-timer machinery, jest's globals), and the Pulumi SDK's state is
// reset to a fresh store, as a fresh load would have it.
"use strict";
const { TestEnvironment } = require("jest-environment-node");
const { ModuleMocker } = require("jest-mock");
const { LegacyFakeTimers, ModernFakeTimers } = require("@jest/fake-timers");

/** The first environment's context and global, shared by every later test file of the worker. */
let shared;

class SharedContextEnvironment extends TestEnvironment {
  /** Tells jest-runtime.js that packages may be shared (only in a shared context). */
  sharesContext = true;

  constructor(config, context) {
    super(config, context);
    if (shared === undefined) {
      shared = { context: this.context, global: this.global };
      return;
    }
    const { projectConfig } = config;
    const global = shared.global;
    const fresh = this.global;
    // Node's globals as jest gives them to a new file (setTimeout, fetch, Buffer, ...), whatever
    // an earlier file left in their place (fake timers a test left installed never fire). The
    // fresh context has them as lazy accessors, or as values once read (jest's fake timers read
    // setTimeout): both are made again here, not copied, since the fresh accessors write to the
    // dropped global and a test's `globalThis.fetch = ...` would be lost.
    for (const key of Object.getOwnPropertyNames(fresh)) {
      const descriptor = Object.getOwnPropertyDescriptor(fresh, key);
      if (descriptor.configurable && isNodeGlobal(key, descriptor)) {
        lazyNodeGlobal(global, key, descriptor.enumerable);
      }
    }
    // This file's process object (its own copy of the environment), made for the context the
    // constructor above created and that is dropped here.
    global.process = fresh.process;
    Object.assign(global, projectConfig.globals);
    this.context = shared.context;
    this.global = global;
    this.moduleMocker = new ModuleMocker(global);
    this.fakeTimers = new LegacyFakeTimers({
      config: projectConfig,
      global,
      moduleMocker: this.moduleMocker,
      timerConfig: {
        idToRef: (id) => ({
          id,
          ref() {
            return this;
          },
          unref() {
            return this;
          },
        }),
        refToId: (timer) => timer?.id,
      },
    });
    this.fakeTimersModern = new ModernFakeTimers({ config: projectConfig, global });
    resetPulumiStore(global);
  }
}

/**
 * Whether a fresh context's property came from this process's globals: a lazy accessor jest
 * made (jest makes them for Node's globals only), or a value Node's global has too (Buffer, and
 * accessors jest already read). The context's own built-ins (Array, Promise) differ from Node's.
 */
function isNodeGlobal(key, { get, value }) {
  if (get !== undefined) return true;
  const node = Object.getOwnPropertyDescriptor(globalThis, key);
  return node !== undefined && (node.get !== undefined || node.value === value);
}

/**
 * The property `key` of `global` as jest-environment-node defines a Node global: read from this
 * process on first use, and a plain value once read or assigned.
 */
function lazyNodeGlobal(global, key, enumerable) {
  const settle = (value) =>
    Object.defineProperty(global, key, { configurable: true, enumerable, writable: true, value });
  Object.defineProperty(global, key, {
    configurable: true,
    enumerable,
    get() {
      const value = globalThis[key];
      settle(value);
      return value;
    },
    set: settle,
  });
}

/**
 * A fresh store for the Pulumi SDK (runtime/state.js keeps it on the global), as a fresh load
 * would make it, but with the resource modules the providers' packages registered when they
 * were loaded: they are not loaded again.
 */
function resetPulumiStore(global) {
  const store = global.globalStore;
  if (store === undefined) return;
  const fresh = new store.constructor();
  fresh.resourcePackages = store.resourcePackages;
  fresh.resourceModules = store.resourceModules;
  global.globalStore = fresh;
  global.stackResource = undefined;
}

module.exports = SharedContextEnvironment;
