// Runs index.ts the way the Pulumi CLI's Node.js language host does: the SDK's own program
// runner (@pulumi/pulumi/cmd/run/run.js) registers ts-node with the TypeScript settings it
// derives from tsconfig.json, resolves the entry point from package.json, requires it and
// invokes its default export inside the root stack. The engine is replaced by the mock
// monitor; every registration is printed as one JSON line per resource.
//
// Usage: node language-host.js <project dir> <stack> <config JSON>
"use strict";
const [dir, stack, configJson] = process.argv.slice(2);
process.chdir(dir);
process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
process.env.PULUMI_NODEJS_PROJECT = "slipway";
process.env.PULUMI_NODEJS_STACK = stack;
process.env.PULUMI_CONFIG = configJson;
process.env.PULUMI_CONFIG_SECRET_KEYS = "[]";

const pulumi = require("@pulumi/pulumi");
const registered = [];
let outputs = [];
void pulumi.runtime
  .setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, webUrl: `https://${args.name}.herokuapp.com/` },
        };
      },
      call: (args) => ({
        ...args.inputs,
        id: "mock",
        ids: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
        accountId: "123456789012",
      }),
    },
    "slipway",
    stack,
    true,
    "organization",
  )
  .then(() => {
    const monitor = pulumi.runtime.getMonitor();
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
      if (req.getUrn().includes("::pulumi:pulumi:Stack::"))
        outputs = Object.keys(req.getOutputs().toJavaScript());
      registerOutputs(req, callback);
    };
    // The runner's command line, as the language host passes it ("mock" selects the monitor above).
    process.argv = [
      process.argv[0],
      "run",
      "--monitor=mock",
      "--project=slipway",
      `--stack=${stack}`,
      "--organization=organization",
      "--dry-run",
      ".",
    ];
    require("@pulumi/pulumi/cmd/run");
  });

process.on("beforeExit", () => {
  process.stdout.write(JSON.stringify({ outputs: outputs.sort(), registered }) + "\n");
  process.exit(0);
});
