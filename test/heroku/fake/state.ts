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
  /** The loopback host standing in for S3 and the output streams (delivery-state.ts). */
  readonly storageUrl?: string;
}

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
