// Private Spaces as the database network reads them: the space, its peering info and NAT, and
// the peering connections AWS requested (made with `state.requestPeering`, since the request
// comes from AWS, not from this API).
import { FakeHttpError, Handler, HandlerContext, notFound, ok } from "../http";
import { PeeringRecord, SpaceRecord } from "../state";

/** The space named in the path (by id or name), or Heroku's 404. */
export function spaceOf(context: HandlerContext): SpaceRecord {
  const record = context.state.findSpace(context.params[0]!);
  if (!record) throw notFound("space");
  return record;
}

function peeringOf(context: HandlerContext): PeeringRecord {
  const record = spaceOf(context).peerings.get(context.params[1]!);
  if (!record) throw notFound("peering");
  return record;
}

/** An accepted peering turns active after `pollsUntilActive` GETs, as Heroku provisions it. */
const getPeering: Handler = (context) => {
  const record = peeringOf(context);
  if (record.peering.status === "provisioning") {
    if (record.pollsUntilActive <= 0) record.peering.status = "active";
    else record.pollsUntilActive -= 1;
  }
  return ok(record.peering);
};

const acceptPeering: Handler = (context) => {
  const record = peeringOf(context);
  if (record.peering.status !== "pending-acceptance") {
    throw new FakeHttpError(
      422,
      "invalid_params",
      `Peering connection ${record.peering.pcx_id} is ${record.peering.status}, not pending acceptance.`,
    );
  }
  record.peering.status = record.pollsUntilActive <= 0 ? "active" : "provisioning";
  return ok(record.peering);
};

const deletePeering: Handler = (context) => {
  const space = spaceOf(context);
  const record = peeringOf(context);
  space.peerings.delete(record.peering.pcx_id);
  return ok({ ...record.peering, status: "deleted" });
};

export const spaceHandlers: Record<string, Handler> = {
  "GET /spaces": ({ state }) => ok([...state.spaces.values()].map((r) => r.space)),
  "GET /spaces/{space}": (context) => ok(spaceOf(context).space),
  "GET /spaces/{space}/peering-info": (context) => ok(spaceOf(context).peeringInfo),
  "GET /spaces/{space}/nat": (context) => ok(spaceOf(context).nat),
  "GET /spaces/{space}/peerings": (context) =>
    ok([...spaceOf(context).peerings.values()].map((r) => r.peering)),
  "GET /spaces/{space}/peerings/{peering}": getPeering,
  "POST /spaces/{space}/peerings/{peering}/actions/accept": acceptPeering,
  "DELETE /spaces/{space}/peerings/{peering}": deletePeering,
};
