// Dynos: the formation's dynos on the release they run (a scripted rollout moves them to a new
// release), one-off dynos for commands such as app.json's postdeploy, and log sessions that
// stream a one-off dyno's output and exit status.
import { deliveryOf } from "../delivery-state";
import { createLogSession, dynosOf, observeOneOff, startOneOff } from "../dyno-state";
import { created, Handler, invalid, notFound, ok } from "../http";
import { appOf } from "./apps";

const dynoInfo: Handler = (context) => {
  const app = appOf(context);
  const delivery = deliveryOf(context.state);
  const wanted = context.params[1]!;
  const oneOff = [...delivery.oneOffs.values()].find(
    (r) => r.dyno.app.id === app.app.id && (r.dyno.id === wanted || r.dyno.name === wanted),
  );
  const dyno = oneOff
    ? observeOneOff(delivery, oneOff)
    : dynosOf(delivery, app, false).find((d) => d.id === wanted || d.name === wanted);
  if (!dyno) throw notFound("dyno");
  return ok(dyno);
};

const runOneOff: Handler = (context) => {
  const app = appOf(context);
  const delivery = deliveryOf(context.state);
  if (!delivery.currentRelease(app)?.release.slug) {
    throw invalid(`${app.app.name} has no release with a slug: deploy it before running a dyno.`);
  }
  const body = context.body as { command: string; attach?: boolean; size?: string; type?: string };
  return created(startOneOff(delivery, app, body));
};

export const dynoHandlers: Record<string, Handler> = {
  "GET /apps/{app}/dynos": (context) =>
    ok(dynosOf(deliveryOf(context.state), appOf(context), true)),
  "GET /apps/{app}/dynos/{dyno}": dynoInfo,
  "POST /apps/{app}/dynos": runOneOff,
  "POST /apps/{app}/log-sessions": (context) =>
    created(
      createLogSession(
        deliveryOf(context.state),
        appOf(context),
        context.body.dyno_name as string | undefined,
      ),
    ),
};
