// The code the engine runs for each Heroku resource type: the text in its `__provider` input,
// bundled here from the provider's module. Kept apart from resources.ts, which needs the Pulumi
// SDK, so that tools and tests that only bundle or name the types load neither the SDK nor the
// resource classes.
import * as path from "node:path";
import { build } from "esbuild";

/** The engine's dynamic resource types: `pulumi-nodejs:dynamic/heroku:<Type>`. */
export const HEROKU_TYPE_PREFIX = "pulumi-nodejs:dynamic/heroku:";

/** What `__provider` holds under `slipway plan`, where no provider ever runs. */
export const PLAN_PROVIDER_TEXT = "(not bundled: slipway plan runs no provider code)";

/** Each type's module (beside this one) and the name of its one provider instance. */
const PROVIDERS = {
  App: ["app", "appProvider"],
  ConfigVars: ["config-vars", "configVarsProvider"],
  Formation: ["formation", "formationProvider"],
  Addon: ["addon", "addonProvider"],
  AppFeature: ["app-feature", "appFeatureProvider"],
  Pipeline: ["pipeline", "pipelineProvider"],
  PipelineCoupling: ["pipeline", "pipelineCouplingProvider"],
  ReviewAppConfig: ["review-app-config", "reviewAppConfigProvider"],
  AppWebhook: ["hooks", "appWebhookProvider"],
  LogDrain: ["hooks", "logDrainProvider"],
  SpacePeeringInfo: ["space", "spacePeeringInfoProvider"],
  SpaceNat: ["space", "spaceNatProvider"],
  SpacePeering: ["space", "spacePeeringProvider"],
} as const;

export type HerokuType = keyof typeof PROVIDERS;

/** Every Heroku resource type slipway declares. */
export const HEROKU_TYPES = Object.keys(PROVIDERS) as HerokuType[];

/** Where a type's provider lives: its module's path (no extension) and export. */
export function providerModule(type: HerokuType): { file: string; exportName: string } {
  const [module, exportName] = PROVIDERS[type];
  return { file: path.join(__dirname, module), exportName };
}

/** A type's provider code, as `providerText` bundles it. */
export function providerCode(type: HerokuType): Promise<string> {
  const { file, exportName } = providerModule(type);
  return providerText(file, exportName);
}

/**
 * A provider as the dynamic provider host loads it: a CommonJS module whose `handler()` returns
 * the provider `exportName` of the module `file` (no extension), bundled with every module of
 * this project it uses and minified. Packages (the SDK's errors module) and Node's own modules
 * are required where the host runs, from the project's node_modules.
 *
 * Why not the SDK's closure serializer (`pulumi.runtime.serializeFunction`, what
 * `pulumi.dynamic.Resource` uses): it walks every function a provider reaches through the
 * inspector and parses each with TypeScript, about 0.3 s a provider, 4 s for the thirteen at the
 * start of every `pulumi up`; esbuild bundles all thirteen in a fraction of that. The bundle is
 * source code alone, so no value of the running program, a token least of all, can end up in
 * state; and it is half the size (an app's 17 KB against 37 KB), which matters because the text
 * is stored with every Heroku resource and sent with every call to the host, and a failed
 * create's details carry it in base64 in one HTTP/2 trailer field, which a Node.js gRPC client
 * takes up to 64 KiB.
 */
export async function providerText(file: string, exportName: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${exportName} } from ${JSON.stringify(`./${path.basename(file)}`)};\nexport const handler = () => ${exportName};\n`,
      resolveDir: path.dirname(file),
      sourcefile: "provider-entry.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    minify: true,
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
