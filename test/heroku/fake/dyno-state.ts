// The fake's dynos: the formation's dynos on the release they run (moving to a new release as the
// app's rollout script says: preboot keeps the old ones listed for a while), one-off dynos with
// their command, state and exit status, and log sessions that serve a one-off dyno's output.
import type { DeliveryState, OneOffRecord, Rollout } from "./delivery-state";
import type { Dyno, LogSession } from "./delivery-types";
import type { AppRecord } from "./state";

/** Where the rollout stands: the release the formation's dynos run and their state. */
function phaseOf(rollout: Rollout): { release: Rollout["from"]; state: string } {
  if (rollout.oldPolls > 0) return { release: rollout.from, state: "up" };
  if (rollout.startingPolls > 0) return { release: rollout.to, state: "starting" };
  return { release: rollout.to, state: rollout.finalState };
}

/**
 * The app's dynos as `GET /apps/{app}/dynos` lists them. With `advance`, the rollout moves one
 * step after this look (preboot's old dynos, then `starting`, then the final state).
 */
export function dynosOf(delivery: DeliveryState, app: AppRecord, advance: boolean): Dyno[] {
  const rollout = delivery.rollouts.get(app.app.id);
  const formation: Dyno[] = [];
  if (rollout) {
    const { release, state } = phaseOf(rollout);
    if (advance && rollout.oldPolls > 0) rollout.oldPolls -= 1;
    else if (advance && rollout.startingPolls > 0) rollout.startingPolls -= 1;
    if (release) formation.push(...formationDynos(delivery, app, release, state));
  }
  const running = [...delivery.oneOffs.values()]
    .filter((r) => r.dyno.app.id === app.app.id && !r.finished)
    .map((r) => r.dyno);
  return [...formation, ...running];
}

/** The release whose web dynos answer the app's web URL now, or `null` when none can answer. */
export function servingRelease(
  delivery: DeliveryState,
  appId: string,
): { id: string; version: number } | null {
  const rollout = delivery.rollouts.get(appId);
  if (!rollout) return null;
  // Preboot: the old dynos keep serving until the new ones are up.
  if (rollout.oldPolls > 0 || rollout.startingPolls > 0) return rollout.from;
  return rollout.finalState === "up" ? rollout.to : null;
}

function formationDynos(
  delivery: DeliveryState,
  app: AppRecord,
  release: { id: string; version: number },
  state: string,
): Dyno[] {
  const created = delivery.releases.get(release.id)!.release.updated_at;
  return app.formation.flatMap((f) =>
    Array.from({ length: f.quantity }, (_, i) => ({
      attach_url: null,
      command: f.command,
      created_at: created,
      id: delivery.state.stableId(`${release.id}/${f.type}.${i + 1}`),
      name: `${f.type}.${i + 1}`,
      release: { ...release },
      app: { name: app.app.name, id: app.app.id },
      size: f.size,
      state,
      type: f.type,
      updated_at: created,
    })),
  );
}

/** `POST /apps/{app}/dynos`: a one-off dyno on the app's current release. */
export function startOneOff(
  delivery: DeliveryState,
  app: AppRecord,
  body: { command: string; attach?: boolean; size?: string; type?: string },
): Dyno {
  const current = delivery.currentRelease(app)!.release;
  const script = delivery.scriptOf(app.app.id).oneOff;
  const records = delivery.oneOffs;
  const at = delivery.state.timestamp();
  const id = delivery.state.newId();
  const dyno: Dyno = {
    attach_url: body.attach
      ? `rendezvous://rendezvous.runtime.heroku.com:5000/${id.slice(-12)}`
      : null,
    command: body.command,
    created_at: at,
    id,
    name: `${body.type ?? "run"}.${1000 + records.size + 1}`,
    release: { id: current.id, version: current.version },
    app: { name: app.app.name, id: app.app.id },
    size: body.size ?? "Basic",
    state: "starting",
    type: body.type ?? "run",
    updated_at: at,
  };
  const record: OneOffRecord = {
    dyno,
    startingPolls: script.startingPolls,
    upPolls: script.upPolls,
    script,
    finished: false,
  };
  records.set(id, record);
  return dyno;
}

/** A GET of a one-off dyno: `starting`, then `up`, then gone (`undefined`) once its process ends. */
export function observeOneOff(delivery: DeliveryState, record: OneOffRecord): Dyno | undefined {
  if (record.finished) return undefined;
  if (record.startingPolls > 0) {
    record.startingPolls -= 1;
    return record.dyno;
  }
  record.dyno.state = "up";
  if (record.upPolls > 0) {
    record.upPolls -= 1;
    return record.dyno;
  }
  record.finished = true;
  record.dyno.updated_at = delivery.state.timestamp();
  return undefined;
}

/**
 * `POST /apps/{app}/log-sessions`: a stream of the app's one-off dynos' output (of `dyno_name`
 * only, when given), each ending with the line that gives its exit status, as Heroku logs it.
 */
export function createLogSession(
  delivery: DeliveryState,
  app: AppRecord,
  dynoName: string | undefined,
): LogSession {
  const at = delivery.state.timestamp();
  const id = delivery.state.newId();
  const lines = [...delivery.oneOffs.values()]
    .filter((r) => r.dyno.app.id === app.app.id)
    .filter((r) => dynoName === undefined || r.dyno.name === dynoName)
    .flatMap(({ dyno, script }) => [
      `${dyno.created_at} heroku[${dyno.name}]: Starting process with command \`${dyno.command}\``,
      ...script.lines.map((line) => `${dyno.created_at} app[${dyno.name}]: ${line}`),
      `${dyno.created_at} heroku[${dyno.name}]: Process exited with status ${script.exitStatus}`,
      `${dyno.created_at} heroku[${dyno.name}]: State changed from up to complete`,
    ]);
  return {
    created_at: at,
    id,
    logplex_url: delivery.streamUrl(id, { lines, lineDelayMs: 0 }),
    updated_at: at,
  };
}
