// Releases (made by builds, promotions and rollbacks; each runs the app's scripted release phase)
// and the slugs they run.
import { deliveryOf, ReleaseRecord } from "../delivery-state";
import { created, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import { appOf } from "./apps";

function releaseOf(context: HandlerContext): ReleaseRecord {
  const record = deliveryOf(context.state).findRelease(appOf(context), context.params[1]!);
  if (!record) throw notFound("release");
  return record;
}

/** `POST /apps/{app}/releases`: a rollback (`release`) or a release of a slug (`slug`). */
const createRelease: Handler = (context) => {
  const app = appOf(context);
  const delivery = deliveryOf(context.state);
  if (typeof context.body.release === "string") {
    const target = delivery.findRelease(app, context.body.release);
    if (!target) throw notFound("release");
    if (target.release.slug === null) {
      throw invalid(`Cannot roll back to v${target.release.version}: it has no slug.`);
    }
    const made = delivery.createRelease(
      app,
      target.release.slug.id,
      `Rollback to v${target.release.version}`,
    );
    return created(made.release);
  }
  const slug = delivery.slugs.get(context.body.slug as string);
  if (!slug) throw notFound("slug");
  const description = (context.body.description as string | undefined) ?? `Deploy ${slug.id}`;
  return created(delivery.createRelease(app, slug.id, description).release);
};

/** A slug is visible to the apps that built it or released it (a promotion shares it). */
const slugInfo: Handler = (context) => {
  const app = appOf(context);
  const delivery = deliveryOf(context.state);
  const slug = delivery.slugs.get(context.params[1]!);
  const used = delivery.releasesOf(app).some((r) => r.release.slug?.id === slug?.id);
  const built = [...delivery.builds.values()].some(
    (b) => b.build.app.id === app.app.id && b.build.slug?.id === slug?.id,
  );
  if (!slug || !(used || built)) throw notFound("slug");
  return ok(slug);
};

export const releaseHandlers: Record<string, Handler> = {
  "GET /apps/{app}/releases": (context) => {
    const delivery = deliveryOf(context.state);
    return ok(delivery.releasesOf(appOf(context)).map((r) => delivery.observeRelease(r)));
  },
  "GET /apps/{app}/releases/{release}": (context) =>
    ok(deliveryOf(context.state).observeRelease(releaseOf(context))),
  "POST /apps/{app}/releases": createRelease,
  "GET /apps/{app}/slugs/{slug}": slugInfo,
};
