// The shape of a provider the next engineer writes, bundled by serialize.test.ts as slipway
// bundles its own: configure, then CRUD through the client.
import { HerokuClient, herokuPath } from "../../heroku/client";
import { configureApiKey, ConfigureRequestLike } from "../../heroku/token";
import type { App } from "./fake";

export const sampleProvider = {
  configure(req: ConfigureRequestLike): Promise<void> {
    configureApiKey(req);
    return Promise.resolve();
  },
  async read(name: string): Promise<App | undefined> {
    return new HerokuClient().getOrUndefined<App>(herokuPath`/apps/${name}`);
  },
};
