// What slipway reads from and does to a Heroku Private Space for the database network:
// - SpacePeeringInfo: the space's AWS account, region, VPC and dyno CIDR blocks, for the AWS
//   peering request (GET /spaces/{space}/peering-info). It reads; deleting it deletes nothing.
// - SpaceNat: the space's stable outbound addresses (GET /spaces/{space}/nat), refused unless
//   NAT is enabled. It reads; deleting it deletes nothing.
// - SpacePeering: Heroku's side of a peering connection AWS requested: accepted on create (POST
//   /spaces/{space}/peerings/{pcx}/actions/accept), waited for until active, destroyed on delete.
// Every input replaces these resources (another space, another connection), so no update ever
// calls Heroku. A refresh costs one GET each.
import type * as pulumi from "@pulumi/pulumi";
import { HEROKU_SPACE_NAME } from "../../config/limits";
import { SlipwayError } from "../../errors";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { HerokuWaitError } from "../../heroku/errors";
import { realSleep } from "../../heroku/retry";
import { InputChecker } from "./check";
import { defineProvider, initFailure, Props } from "./provider";

export interface SpaceInputs extends Props {
  /** The space's name (or id). */
  space: string;
}

export interface SpacePeeringInfoOutputs extends SpaceInputs {
  awsAccountId: string;
  awsRegion: string;
  vpcId: string;
  vpcCidr: string;
  /** Where the space's dynos get their addresses: what the database admits. */
  dynoCidrBlocks: string[];
  /** Blocks a peered VPC must not overlap. */
  unavailableCidrBlocks: string[];
}

export interface SpaceNatOutputs extends SpaceInputs {
  /** The addresses the space's outbound traffic comes from. */
  sources: string[];
}

export interface SpacePeeringInputs extends SpaceInputs {
  /** The AWS VPC peering connection's id (`pcx-...`). */
  pcxId: string;
}

export interface SpacePeeringOutputs extends SpacePeeringInputs {
  status: string;
  /** The VPC on the other side: the database's. */
  awsVpcId: string;
  cidrBlocks: string[];
}

interface HerokuPeeringInfo {
  aws_account_id: string;
  aws_region: string;
  vpc_id: string;
  vpc_cidr: string;
  dyno_cidr_blocks: string[];
  unavailable_cidr_blocks: string[];
}

interface HerokuNat {
  sources: string[];
  state: "disabled" | "updating" | "enabled";
}

interface HerokuPeering {
  pcx_id: string;
  status: string;
  aws_vpc_id: string;
  cidr_blocks: string[];
}

/** Peering states Heroku never leaves: the connection must be requested again. */
export const FAILED_PEERING_STATES = ["failed", "expired", "rejected", "deleted"];

const checkSpace = (news: Props) =>
  new InputChecker(news).string("space", HEROKU_SPACE_NAME, "a Heroku Private Space name");

/** A provider that only reads: create and refresh GET, delete leaves Heroku alone. */
function readOnlyProvider<O extends SpaceInputs>(
  options: HerokuClientOptions,
  read: (api: HerokuClient, inputs: SpaceInputs) => Promise<O | undefined>,
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const mustRead = async (inputs: SpaceInputs) => {
    const found = await read(client(), inputs);
    if (found === undefined) {
      throw SlipwayError.of(
        "slipway:app.space",
        `got "${inputs.space}": Heroku has no such Private Space for this token. Allowed: the ` +
          "name of a space of the app's team (heroku spaces --team <team>). Fix: create the " +
          "space (docs/bootstrap.md) or correct slipway:app.space.",
      );
    }
    return found;
  };
  return defineProvider<SpaceInputs, O>({
    inputs: ["space"],
    replaceOn: { space: true },
    check: (news) => checkSpace(news).result(),
    async create(inputs) {
      return { id: inputs.space, outs: await mustRead(inputs) };
    },
    read: (_id, olds) => read(client(), olds),
    update: (_id, _olds, news) => mustRead(news),
    delete: () => Promise.resolve(),
  });
}

export function createSpacePeeringInfoProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  return readOnlyProvider<SpacePeeringInfoOutputs>(options, async (api, { space }) => {
    const info = await api.getOrUndefined<HerokuPeeringInfo>(
      herokuPath`/spaces/${space}/peering-info`,
    );
    if (info === undefined) return undefined;
    return {
      space,
      awsAccountId: info.aws_account_id,
      awsRegion: info.aws_region,
      vpcId: info.vpc_id,
      vpcCidr: info.vpc_cidr,
      dynoCidrBlocks: [...info.dyno_cidr_blocks],
      unavailableCidrBlocks: [...(info.unavailable_cidr_blocks ?? [])],
    };
  });
}

export function createSpaceNatProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  return readOnlyProvider<SpaceNatOutputs>(options, async (api, { space }) => {
    const nat = await api.getOrUndefined<HerokuNat>(herokuPath`/spaces/${space}/nat`);
    if (nat === undefined) return undefined;
    if (nat.state !== "enabled") {
      // Without NAT the space's outbound addresses are not stable: admitting today's would lock
      // the app out tomorrow.
      throw SlipwayError.of(
        "slipway:database.allowedCidrs",
        `got nothing, and the NAT of Private Space "${space}" is ${nat.state}, so it has no ` +
          "stable outbound addresses to admit. Allowed: the addresses of an enabled space NAT, " +
          "or of a static-egress add-on. Fix: wait until heroku spaces:info shows NAT enabled " +
          "and run again, or list the add-on's addresses in slipway:database.allowedCidrs.",
      );
    }
    return { space, sources: [...nat.sources].sort() };
  });
}

export interface SpacePeeringProviderOptions extends HerokuClientOptions {
  /** Milliseconds between GETs while waiting for the request to reach Heroku, then to be active. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Milliseconds to wait for each of the two. @default 600000 (10 minutes) */
  readonly waitTimeoutMs?: number;
}

export function createSpacePeeringProvider(
  options: SpacePeeringProviderOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const intervalMs = options.pollIntervalMs ?? 5_000;
  const timeoutMs = options.waitTimeoutMs ?? 600_000;
  const now = () => (options.now ?? Date.now)();
  const sleep = (ms: number) => (options.sleep ?? realSleep)(ms);
  const path = ({ space, pcxId }: SpacePeeringInputs) =>
    herokuPath`/spaces/${space}/peerings/${pcxId}`;
  const outputs = (inputs: SpacePeeringInputs, peering: HerokuPeering): SpacePeeringOutputs => ({
    space: inputs.space,
    pcxId: inputs.pcxId,
    status: peering.status,
    awsVpcId: peering.aws_vpc_id,
    cidrBlocks: [...peering.cidr_blocks],
  });
  const failure = (inputs: SpacePeeringInputs, status: string) =>
    SlipwayError.of(
      "slipway:database.network",
      `peering connection ${inputs.pcxId} of Private Space "${inputs.space}" is ${status} on ` +
        "Heroku's side and will not become active. Allowed: a connection Heroku can accept " +
        "(same account and VPC as peering-info reports, CIDR blocks that do not overlap the " +
        "space's). Fix: check heroku spaces:peerings, then replace the AWS connection: pulumi " +
        "up --replace <the VpcPeeringConnection's URN>.",
    );

  /** AWS hands the request to Heroku within seconds; until then Heroku answers 404. */
  async function arrived(api: HerokuClient, inputs: SpacePeeringInputs): Promise<HerokuPeering> {
    const start = now();
    for (;;) {
      const peering = await api.getOrUndefined<HerokuPeering>(path(inputs));
      if (peering !== undefined) return peering;
      if (now() - start + intervalMs > timeoutMs) {
        throw new Error(
          `Heroku has not seen peering connection ${inputs.pcxId} for Private Space ` +
            `"${inputs.space}" after ${Math.round((now() - start) / 1000)} s. Check that it was ` +
            "requested to the account and VPC heroku spaces:peering:info shows, then run again.",
        );
      }
      await sleep(intervalMs);
    }
  }

  return defineProvider<SpacePeeringInputs, SpacePeeringOutputs>({
    inputs: ["space", "pcxId"],
    replaceOn: { space: true, pcxId: true },
    check: (news) =>
      checkSpace(news)
        .string("pcxId", /^pcx-[0-9a-f]{8,17}$/, "an AWS VPC peering connection id (pcx-...)")
        .result(),

    async create(inputs) {
      const api = client();
      let peering = await arrived(api, inputs);
      if (FAILED_PEERING_STATES.includes(peering.status)) throw failure(inputs, peering.status);
      if (peering.status === "pending-acceptance") {
        peering = (
          await api.createOrAdopt<HerokuPeering>({
            path: `${path(inputs)}/actions/accept`,
            body: undefined,
            lookup: path(inputs),
            // Accepted already (an earlier attempt went through): nothing left to do.
            matches: (found) => ["provisioning", "active"].includes(found.status),
            description: `peering connection ${inputs.pcxId}`,
          })
        ).resource;
      }
      try {
        const active = await api.poll<HerokuPeering>(path(inputs), {
          until: (found) => {
            if (FAILED_PEERING_STATES.includes(found.status)) throw failure(inputs, found.status);
            return found.status === "active";
          },
          description: `peering connection ${inputs.pcxId} of space "${inputs.space}"`,
          intervalMs,
          timeoutMs,
        });
        return { id: inputs.pcxId, outs: outputs(inputs, active) };
      } catch (error) {
        // Accepted but not active yet: keep it in state so the next run reads it again. (Not
        // `instanceof Error`: serialized into a provider, the client's errors are not.)
        if (error instanceof HerokuWaitError) {
          throw initFailure(error, inputs.pcxId, outputs(inputs, peering));
        }
        throw error;
      }
    },

    async read(_id, olds) {
      const peering = await client().getOrUndefined<HerokuPeering>(path(olds));
      return peering === undefined ? undefined : outputs(olds, peering);
    },

    async update(_id, olds) {
      const peering = await client().get<HerokuPeering>(path(olds));
      return outputs(olds, peering);
    },

    async delete(_id, olds) {
      await client().deleteIgnoringNotFound(path(olds));
    },
  });
}

export const spacePeeringInfoProvider = createSpacePeeringInfoProvider();
export const spaceNatProvider = createSpaceNatProvider();
export const spacePeeringProvider = createSpacePeeringProvider();
