// Sources (where a tarball is uploaded and fetched from) and builds (a tarball made into a slug and
// a release). A build's outcome and output are scripted per app (DeliveryState.script).
import { deliveryOf } from "../delivery-state";
import { created, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import { appOf } from "./apps";

function buildOf(context: HandlerContext) {
  const app = appOf(context);
  const record = deliveryOf(context.state).builds.get(context.params[1]!);
  if (!record || record.build.app.id !== app.app.id) throw notFound("build");
  return record;
}

const createBuild: Handler = (context) => {
  const app = appOf(context);
  const blob = context.body.source_blob as { url?: string; version?: string; checksum?: string };
  if (typeof blob.url !== "string" || !URL.canParse(blob.url)) {
    throw invalid("source_blob.url must be a URL Heroku can fetch the source tarball from.");
  }
  const buildpacks = context.body.buildpacks as { url: string; name?: string }[] | undefined;
  const delivery = deliveryOf(context.state);
  return created(delivery.createBuild(app, { ...blob, url: blob.url }, buildpacks ?? undefined));
};

export const buildHandlers: Record<string, Handler> = {
  "POST /sources": ({ state }) => created(deliveryOf(state).createSource()),
  "POST /apps/{app}/builds": createBuild,
  "GET /apps/{app}/builds/{build}": (context) =>
    ok(deliveryOf(context.state).observeBuild(buildOf(context))),
  "GET /apps/{app}/builds": (context) => {
    const app = appOf(context);
    const builds = [...deliveryOf(context.state).builds.values()]
      .map((r) => r.build)
      .filter((b) => b.app.id === app.app.id);
    return { ...ok(builds), rangeAliases: { started_at: "created_at" } };
  },
};
