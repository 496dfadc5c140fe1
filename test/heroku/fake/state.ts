// The fake's world: Heroku resources as the API shows them, plus what the API hides (config var
// values, webhook secrets, GitHub connections). Tests read and change it to play "someone changed
// this in the Dashboard" (drift). Ids are sequential UUIDs, so paging order is creation order.
import { createHash } from "node:crypto";

export interface Ref {
  id: string;
  name: string;
}

export interface App {
  acm: boolean;
  archived_at: string | null;
  buildpack_provided_description: string | null;
  build_stack: Ref;
  created_at: string;
  generation: Ref;
  git_url: string;
  id: string;
  internal_routing: boolean | null;
  maintenance: boolean;
  name: string;
  owner: { email: string; id: string };
  organization: Ref | null;
  team: Ref | null;
  region: Ref;
  released_at: string | null;
  repo_size: number | null;
  slug_size: number | null;
  space: (Ref & { shield: boolean }) | null;
  stack: Ref;
  updated_at: string;
  web_url: string | null;
}

export interface Formation {
  app: Ref;
  command: string;
  created_at: string;
  dyno_size: Ref;
  id: string;
  quantity: number;
  size: string;
  type: string;
  updated_at: string;
}

export interface BuildpackInstallation {
  buildpack: { url: string; name: string };
  ordinal: number;
}

export interface AppFeature {
  created_at: string;
  description: string;
  doc_url: string;
  enabled: boolean;
  id: string;
  name: string;
  state: string;
  updated_at: string;
  display_name: string;
  feedback_email: string;
}

export interface Addon {
  actions: unknown[];
  addon_service: Ref;
  billing_entity: Ref & { type: "app" | "team" };
  app: Ref;
  billed_price: { cents: number; contract: boolean; unit: string } | null;
  config_vars: string[];
  created_at: string;
  id: string;
  name: string;
  plan: Ref;
  provider_id: string;
  provision_message: string;
  state: "provisioning" | "provisioned" | "deprovisioned";
  updated_at: string;
  web_url: string | null;
}

export interface Pipeline {
  created_at: string;
  id: string;
  name: string;
  owner: { id: string; type: "team" | "user" } | null;
  updated_at: string;
  generation: Ref;
}

export interface PipelineCoupling {
  app: { id: string };
  created_at: string;
  id: string;
  pipeline: { id: string };
  stage: string;
  updated_at: string;
}

export interface ReviewAppConfig {
  repo: { id: number };
  automatic_review_apps: boolean;
  deploy_target: { id: string; type: string } | null;
  destroy_stale_apps: boolean;
  stale_days: number;
  pipeline_id: string;
  wait_for_ci: boolean;
  base_name: string | null;
}

export interface AppWebhook {
  app: Ref;
  created_at: string;
  id: string;
  include: string[];
  level: "notify" | "sync";
  updated_at: string;
  url: string;
}

export interface LogDrain {
  addon: null;
  app: Ref;
  created_at: string;
  id: string;
  token: string;
  updated_at: string;
  url: string;
}

export interface Team {
  id: string;
  created_at: string;
  credit_card_collections: boolean;
  default: boolean;
  enterprise_account: null;
  identity_provider: null;
  membership_limit: number | null;
  name: string;
  provisioned_licenses: boolean;
  role: string | null;
  type: "team" | "enterprise";
  updated_at: string;
}

export interface Space {
  created_at: string;
  id: string;
  name: string;
  organization: { name: string };
  team: { id: string; name: string };
  region: Ref;
  shield: boolean;
  state: "allocating" | "allocated" | "deleting";
  updated_at: string;
  cidr: string;
  data_cidr: string;
  generation: Ref;
}

export interface PeeringInfo {
  aws_account_id: string;
  aws_region: string;
  vpc_id: string;
  vpc_cidr: string;
  dyno_cidr_blocks: string[];
  space_cidr_blocks: string[];
  unavailable_cidr_blocks: string[];
}

export interface Peering {
  type: "heroku-managed" | "customer-managed" | "unknown";
  pcx_id: string;
  cidr_blocks: string[];
  status: string;
  aws_vpc_id: string;
  aws_region: string;
  aws_account_id: string;
  expires: string;
}

export interface SpaceNat {
  created_at: string;
  sources: string[];
  state: "disabled" | "updating" | "enabled";
  updated_at: string;
}

export interface SpaceRecord {
  space: Space;
  peeringInfo: PeeringInfo;
  nat: SpaceNat;
  /** By pcx id: the peering requests AWS sent the space (`requestPeering`). */
  peerings: Map<string, PeeringRecord>;
}

export interface PeeringRecord {
  peering: Peering;
  /** GETs left before an accepted (`provisioning`) peering reports `active`. */
  pollsUntilActive: number;
}

/** What `requestPeering` takes: the AWS side of a peering request to a space's VPC. */
export interface PeeringRequest {
  pcxId: string;
  vpcId: string;
  cidrBlocks: string[];
  accountId?: string;
  region?: string;
}

export interface AppRecord {
  app: App;
  /** Every config var of the app, including those add-ons and people set. */
  configVars: Record<string, string>;
  buildpacks: BuildpackInstallation[];
  formation: Formation[];
  features: AppFeature[];
}

export interface AddonRecord {
  addon: Addon;
  /** GETs left before a `provisioning` add-on reports `provisioned`. */
  pollsUntilProvisioned: number;
}

export interface PipelineRecord {
  pipeline: Pipeline;
  /** Set by `connectGitHub`: Heroku's public API cannot connect a pipeline to GitHub. */
  github?: { repo: string; repoId: number };
  reviewAppConfig?: ReviewAppConfig;
}

export interface WebhookRecord {
  webhook: AppWebhook;
  /** The signing secret; Heroku shows it once (in `Heroku-Webhook-Secret`) when it made it. */
  secret: string;
  authorization: string | null;
}

/** An add-on service the fake knows: its plans (the first is the default) and its config var. */
export interface AddonService {
  readonly plans: readonly string[];
  readonly configVar?: string;
}

export interface StateSettings {
  /** Process types every new app has in its formation (as if a release declared them). */
  readonly processTypes: readonly string[];
  /** GETs of a new add-on answered `provisioning` before it reports `provisioned` (0: at once). */
  readonly addonProvisionPolls: number;
  readonly addonServices: Readonly<Record<string, AddonService>>;
  readonly teams: readonly string[];
  readonly account: { readonly email: string };
  /** GETs of an accepted peering answered `provisioning` before `active` (0: at once). */
  readonly peeringActivationPolls?: number;
  /** The loopback host standing in for S3 and the output streams (delivery-state.ts). */
  readonly storageUrl?: string;
}

/** The AWS account Heroku's spaces live in, as the fake reports it. */
export const SPACE_AWS_ACCOUNT = "847227832372";

/** Private Space regions: Heroku's names, and the AWS region behind each. */
export const SPACE_REGIONS: readonly (Ref & { aws: string })[] = [
  { id: "8b9e1c2d-3f4a-4b5c-8d6e-7f8a9b0c1d2e", name: "virginia", aws: "us-east-1" },
  { id: "9c0f2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f", name: "oregon", aws: "us-west-2" },
  { id: "0d1a3e4f-5b6c-4d7e-8f8a-9b0c1d2e3f4a", name: "dublin", aws: "eu-west-1" },
  { id: "1e2b4f5a-6c7d-4e8f-8a9b-0c1d2e3f4a5b", name: "frankfurt", aws: "eu-central-1" },
];

export const REGIONS: readonly Ref[] = [
  { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: "us" },
  { id: "ed30241c-ed8c-4bb6-9714-61953675d0b4", name: "eu" },
];

export const STACKS: readonly Ref[] = [
  { id: "3e8e3a8a-7f7b-4b1b-9a5e-2c1f0a1b2c22", name: "heroku-22" },
  { id: "4f5e6d7c-8b9a-4a0b-8c1d-2e3f4a5b6c24", name: "heroku-24" },
  { id: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", name: "container" },
];

export const DYNO_SIZES: readonly (Ref & { maxQuantity: number })[] = [
  ["Eco", 1],
  ["Basic", 1],
  ["Standard-1X", 100],
  ["Standard-2X", 100],
  ["Performance-M", 100],
  ["Performance-L", 100],
  ["Performance-L-RAM", 100],
  ["Performance-XL", 100],
  ["Performance-2XL", 100],
].map(([name, maxQuantity], i) => ({
  id: `6a1c0000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
  name: name as string,
  maxQuantity: maxQuantity as number,
}));

export const FEATURES: readonly { name: string; display_name: string; description: string }[] = [
  {
    name: "preboot",
    display_name: "Preboot",
    description: "Start new dynos before stopping old ones.",
  },
  {
    name: "runtime-dyno-metadata",
    display_name: "Runtime Dyno Metadata",
    description: "Expose release metadata to dynos.",
  },
  {
    name: "log-runtime-metrics",
    display_name: "Log Runtime Metrics",
    description: "Emit dyno load and memory metrics to the logs.",
  },
  {
    name: "http-session-affinity",
    display_name: "Session Affinity",
    description: "Route a client's requests to the same dyno.",
  },
];

export const WEBHOOK_ENTITIES = [
  "api:addon-attachment",
  "api:addon",
  "api:app",
  "api:build",
  "api:collaborator",
  "api:domain",
  "api:dyno",
  "api:formation",
  "api:release",
  "api:sni-endpoint",
  "dyno",
];

export const DEFAULT_ADDON_SERVICES: Readonly<Record<string, AddonService>> = {
  "heroku-postgresql": {
    plans: ["essential-0", "essential-1", "essential-2", "standard-0"],
    configVar: "DATABASE_URL",
  },
  "heroku-redis": { plans: ["mini", "premium-0"], configVar: "REDIS_URL" },
  papertrail: { plans: ["choklad", "fixa"], configVar: "PAPERTRAIL_API_TOKEN" },
  scheduler: { plans: ["standard"] },
};

export class FakeState {
  readonly account: { id: string; email: string };
  readonly teams = new Map<string, Team>();
  readonly apps = new Map<string, AppRecord>();
  readonly addons = new Map<string, AddonRecord>();
  readonly pipelines = new Map<string, PipelineRecord>();
  readonly couplings = new Map<string, PipelineCoupling>();
  readonly webhooks = new Map<string, WebhookRecord>();
  readonly drains = new Map<string, LogDrain>();
  readonly spaces = new Map<string, SpaceRecord>();
  private counter = 0;

  constructor(
    readonly settings: StateSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.account = { id: this.newId(), email: settings.account.email };
    for (const name of settings.teams) this.addTeam(name);
  }

  /** A new UUID; sequential, so sorting by id is sorting by creation. */
  newId(): string {
    this.counter += 1;
    return `01234567-89ab-4cde-8f01-${this.counter.toString(16).padStart(12, "0")}`;
  }

  /** 12 hex characters derived from `seed`, for `web_url` hosts. */
  hex12(seed: string): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, 12);
  }

  /** A UUID that is always the same for `seed` (add-on service and plan ids). */
  stableId(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Now, as Heroku writes timestamps (`2025-09-25T12:00:00Z`). */
  timestamp(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  addTeam(name: string): Team {
    const at = this.timestamp();
    const team: Team = {
      id: this.newId(),
      created_at: at,
      credit_card_collections: false,
      default: false,
      enterprise_account: null,
      identity_provider: null,
      membership_limit: null,
      name,
      provisioned_licenses: false,
      role: "admin",
      type: "team",
      updated_at: at,
    };
    this.teams.set(team.id, team);
    return team;
  }

  /**
   * A Private Space of `team`, allocated, with the CIDR layout Heroku's peering docs show and NAT
   * enabled with two addresses (`nat: "disabled"` for a space without stable addresses).
   */
  addSpace(
    name: string,
    options: { team?: string; region?: string; nat?: SpaceNat["state"]; sources?: string[] } = {},
  ): SpaceRecord {
    const team = must(this.findTeam(options.team ?? "acme"), `team ${options.team ?? "acme"}`);
    const region = must(
      SPACE_REGIONS.find((r) => r.name === (options.region ?? "virginia")),
      `space region ${options.region}`,
    );
    const at = this.timestamp();
    const record: SpaceRecord = {
      space: {
        created_at: at,
        id: this.newId(),
        name,
        organization: { name: team.name },
        team: { id: team.id, name: team.name },
        region: { id: region.id, name: region.name },
        shield: false,
        state: "allocated",
        updated_at: at,
        cidr: "10.0.0.0/16",
        data_cidr: "10.1.0.0/16",
        generation: { id: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", name: "cedar" },
      },
      peeringInfo: {
        aws_account_id: SPACE_AWS_ACCOUNT,
        aws_region: region.aws,
        vpc_id: `vpc-${this.hex12(`${name}-vpc`).slice(0, 8)}`,
        vpc_cidr: "10.0.0.0/16",
        dyno_cidr_blocks: ["10.0.128.0/20", "10.0.144.0/20"],
        space_cidr_blocks: ["10.0.128.0/20", "10.0.144.0/20", "10.0.0.0/20", "10.0.16.0/20"],
        unavailable_cidr_blocks: ["10.1.0.0/16"],
      },
      nat: {
        created_at: at,
        sources: options.sources ?? ["52.0.2.10", "52.0.2.11"],
        state: options.nat ?? "enabled",
        updated_at: at,
      },
      peerings: new Map(),
    };
    this.spaces.set(record.space.id, record);
    return record;
  }

  /** Plays AWS: a VPC peering request to the space's VPC arrives, pending Heroku's acceptance. */
  requestPeering(space: string, request: PeeringRequest): PeeringRecord {
    const record = this.space(space);
    const peering: PeeringRecord = {
      peering: {
        type: "customer-managed",
        pcx_id: request.pcxId,
        cidr_blocks: [...request.cidrBlocks],
        status: "pending-acceptance",
        aws_vpc_id: request.vpcId,
        aws_region: request.region ?? record.peeringInfo.aws_region,
        aws_account_id: request.accountId ?? "123456789012",
        expires: new Date(this.clock().getTime() + 7 * 86_400_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      },
      pollsUntilActive: this.settings.peeringActivationPolls ?? 1,
    };
    record.peerings.set(request.pcxId, peering);
    return peering;
  }

  findSpace(idOrName: string): SpaceRecord | undefined {
    return find(this.spaces, (r) => r.space.id === idOrName || r.space.name === idOrName);
  }

  space(idOrName: string): SpaceRecord {
    return must(this.findSpace(idOrName), `space ${idOrName}`);
  }

  /** Marks a pipeline connected to a GitHub repository (a Dashboard-only step on Heroku). */
  connectGitHub(pipeline: string, repo = "acme/acme-web"): void {
    this.pipeline(pipeline).github = { repo, repoId: 100_000 + this.counter };
  }

  findApp(idOrName: string): AppRecord | undefined {
    return find(this.apps, (r) => r.app.id === idOrName || r.app.name === idOrName);
  }

  findAddon(idOrName: string): AddonRecord | undefined {
    return find(this.addons, (r) => r.addon.id === idOrName || r.addon.name === idOrName);
  }

  findPipeline(idOrName: string): PipelineRecord | undefined {
    return find(this.pipelines, (r) => r.pipeline.id === idOrName || r.pipeline.name === idOrName);
  }

  findTeam(idOrName: string): Team | undefined {
    return find(this.teams, (t) => t.id === idOrName || t.name === idOrName);
  }

  /** The app record (for tests); throws when there is none. */
  app(idOrName: string): AppRecord {
    return must(this.findApp(idOrName), `app ${idOrName}`);
  }

  addon(idOrName: string): AddonRecord {
    return must(this.findAddon(idOrName), `add-on ${idOrName}`);
  }

  pipeline(idOrName: string): PipelineRecord {
    return must(this.findPipeline(idOrName), `pipeline ${idOrName}`);
  }
}

function find<T>(map: Map<string, T>, test: (value: T) => boolean): T | undefined {
  for (const value of map.values()) if (test(value)) return value;
  return undefined;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the fake Heroku has no ${what}`);
  return value;
}
