// `npm run bench`: the cost of the thirteen `__provider` texts a `pulumi up` makes before its
// first Heroku resource, as slipway makes them (esbuild bundles, `providerText`) against the
// SDK's closure serializer that `pulumi.dynamic.Resource` would use, in one process. Target:
// bundling takes at most a fifth of the serializer's time (components/heroku/provider-code.ts says
// why slipway bundles).
import * as pulumi from "@pulumi/pulumi";
import {
  HEROKU_TYPES,
  HerokuType,
  providerCode,
  providerModule,
} from "../components/heroku/provider-code";

export const PROVIDER_TEXT_TARGET = 0.2;

export interface ProviderTextBench {
  bundleMs: number;
  bundleBytes: number;
  serializeMs: number;
  serializeBytes: number;
  ratio: number;
}

async function timed(make: (type: HerokuType) => Promise<string>) {
  const started = performance.now();
  const texts = await Promise.all(HEROKU_TYPES.map(make));
  const ms = performance.now() - started;
  return { ms, bytes: texts.reduce((sum, text) => sum + text.length, 0) };
}

export async function benchProviderText(): Promise<ProviderTextBench> {
  const bundled = await timed(providerCode);
  const serialized = await timed(async (type) => {
    const { file, exportName } = providerModule(type);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const provider = (require(file) as Record<string, object>)[exportName];
    const result = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
    return result.text;
  });
  return {
    bundleMs: bundled.ms,
    bundleBytes: bundled.bytes,
    serializeMs: serialized.ms,
    serializeBytes: serialized.bytes,
    ratio: bundled.ms / serialized.ms,
  };
}

export function describeProviderText(r: ProviderTextBench): string {
  const verdict =
    r.ratio <= PROVIDER_TEXT_TARGET ? "ok" : `over the target of ${PROVIDER_TEXT_TARGET}`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  return (
    `bench provider texts: bundled ${r.bundleMs.toFixed(0)} ms (${kb(r.bundleBytes)}), ` +
    `SDK serializer ${r.serializeMs.toFixed(0)} ms (${kb(r.serializeBytes)}), ratio ` +
    `${r.ratio.toFixed(2)} (${verdict})`
  );
}
