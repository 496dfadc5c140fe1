// One life per Heroku provider for the dynamic provider host tests: what it is created with, a
// change made in place, and the outputs the create must answer, read from the Heroku fake.
import type { HerokuType } from "../../components/heroku/provider-code";
import type { FakeHeroku } from "../heroku/fake";
import { Props, secret } from "./wire";

/** The app and pipeline (made in the fake beforehand) the resources hang on. */
export interface Ids {
  readonly app: string;
  readonly pipeline: string;
}

/** The Private Space the space resources read, and the peering AWS requested to it. */
export const SPACE = "acme-space";
export const PCX = "pcx-0123456789abcdef0";
export const DB_VPC = "vpc-0abc1234def567890";

/** Makes the space in the fake, with AWS's peering request pending, activated at once. */
export function addSpace(fake: FakeHeroku): void {
  fake.state.addSpace(SPACE);
  fake.state.requestPeering(SPACE, {
    pcxId: PCX,
    vpcId: DB_VPC,
    cidrBlocks: ["172.31.0.0/16"],
  }).pollsUntilActive = 0;
}

export interface Lifecycle {
  readonly args: (ids: Ids) => Props;
  /** A change the update makes in place; none for a drain, whose every input replaces it. */
  readonly change: Props;
  /** The outputs of the create, given the resource's id. */
  readonly outputs: (fake: FakeHeroku, ids: Ids, id: string) => Props;
  /** Whether a refresh after the delete finds it gone (a feature or config vars stay). */
  readonly gone: boolean;
}

export const HOOK_URL = "https://hooks.example.com/h";
export const DRAIN_URL = "https://logs.example.com/in";

export const LIFECYCLES: Record<HerokuType, Lifecycle> = {
  App: {
    args: () => ({ name: "acme-www" }),
    change: { maintenance: true },
    outputs: (fake, _ids, id) => ({
      name: "acme-www",
      region: "us",
      stack: "heroku-24",
      buildpacks: [],
      maintenance: false,
      acm: false,
      appId: id,
      webUrl: fake.state.app(id).app.web_url,
      gitUrl: "https://git.heroku.com/acme-www.git",
    }),
    gone: true,
  },
  ConfigVars: {
    args: ({ app }) => ({ app, vars: { A: "1" }, secretVars: { S: secret("s") } }),
    change: { vars: { A: "2" } },
    // The host gets "s" in the clear; the engine marks it secret again under the same key.
    outputs: (_fake, { app }) => ({ app, vars: { A: "1" }, secretVars: { S: secret("s") } }),
    gone: false,
  },
  Formation: {
    args: ({ app }) => ({ app, formation: { web: { quantity: 1, size: "basic" } } }),
    change: { formation: { web: { quantity: 0, size: "basic" } } },
    outputs: (_fake, { app }) => ({ app, formation: { web: { quantity: 1, size: "basic" } } }),
    gone: false,
  },
  Addon: {
    args: ({ app }) => ({ app, plan: "heroku-postgresql:essential-0" }),
    change: { plan: "heroku-postgresql:essential-1" },
    outputs: (fake, { app }, id) => ({
      app,
      plan: "heroku-postgresql:essential-0",
      addonId: id,
      name: fake.state.addon(id).addon.name,
      configVarNames: ["DATABASE_URL"],
    }),
    gone: true,
  },
  AppFeature: {
    args: ({ app }) => ({ app, feature: "preboot" }),
    change: { enabled: false },
    outputs: (_fake, { app }) => ({ app, feature: "preboot", enabled: true }),
    gone: false,
  },
  Pipeline: {
    args: () => ({ name: "acme-pipe" }),
    change: { name: "acme-pipe-2" },
    outputs: (fake, _ids, id) => ({
      name: "acme-pipe",
      pipelineId: id,
      ownerId: fake.state.account.id,
      ownerType: "user",
    }),
    gone: true,
  },
  PipelineCoupling: {
    args: ({ app, pipeline }) => ({ app, pipeline, stage: "staging" }),
    change: { stage: "production" },
    outputs: (_fake, { app, pipeline }) => ({ app, pipeline, stage: "staging" }),
    gone: true,
  },
  ReviewAppConfig: {
    args: ({ pipeline }) => ({ pipeline, repo: "acme/acme-web" }),
    change: { staleDays: 9 },
    outputs: (_fake, { pipeline }) => ({
      pipeline,
      repo: "acme/acme-web",
      automaticReviewApps: false,
      destroyStaleApps: true,
      staleDays: 5,
      waitForCi: true,
    }),
    gone: true,
  },
  AppWebhook: {
    args: ({ app }) => ({ app, url: HOOK_URL, include: ["api:release"] }),
    change: { level: "sync" },
    // `secret` becomes secret through the resource's additionalSecretOutputs, not here.
    outputs: (fake, { app }, id) => ({
      app,
      url: HOOK_URL,
      include: ["api:release"],
      level: "notify",
      secret: fake.state.webhooks.get(id)!.secret,
    }),
    gone: true,
  },
  LogDrain: {
    args: ({ app }) => ({ app, url: DRAIN_URL }),
    change: {},
    outputs: (fake, { app }, id) => ({
      app,
      url: DRAIN_URL,
      token: fake.state.drains.get(id)!.token,
    }),
    gone: true,
  },
  // Reads of a space, and a connection every input of which replaces: nothing changes in place.
  // A space's peering facts and addresses outlive the resources that read them.
  SpacePeeringInfo: {
    args: () => ({ space: SPACE }),
    change: {},
    outputs: (fake) => {
      const info = fake.state.space(SPACE).peeringInfo;
      return {
        space: SPACE,
        awsAccountId: info.aws_account_id,
        awsRegion: info.aws_region,
        vpcId: info.vpc_id,
        vpcCidr: info.vpc_cidr,
        dynoCidrBlocks: info.dyno_cidr_blocks,
        unavailableCidrBlocks: info.unavailable_cidr_blocks,
      };
    },
    gone: false,
  },
  SpaceNat: {
    args: () => ({ space: SPACE }),
    change: {},
    outputs: (fake) => ({ space: SPACE, sources: [...fake.state.space(SPACE).nat.sources].sort() }),
    gone: false,
  },
  SpacePeering: {
    args: () => ({ space: SPACE, pcxId: PCX }),
    change: {},
    outputs: () => ({
      space: SPACE,
      pcxId: PCX,
      status: "active",
      awsVpcId: DB_VPC,
      cidrBlocks: ["172.31.0.0/16"],
    }),
    gone: true,
  },
};
