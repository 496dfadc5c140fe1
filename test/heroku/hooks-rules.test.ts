// The AppFeature, AppWebhook and LogDrain providers' rules without a server: each check at its
// edges (the events sorted and deduplicated, the level's default, a drain URL never shown), and
// which changes replace the resource.
import { createAppFeatureProvider } from "../../components/heroku/app-feature";
import { createAppWebhookProvider, createLogDrainProvider } from "../../components/heroku/hooks";
import { WEBHOOK_EVENTS } from "../../config/limits";

// Each provider is built inside each test, where Stryker sees its rules run.
const APP = "acme-web";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("AppFeature", () => {
  const provider = () => createAppFeatureProvider();
  const check = (news: Record<string, unknown>) => provider().check!({}, news);
  const ALLOWED = "a Heroku app feature name (preboot, runtime-dyno-metadata, ...)";

  test.each([
    [
      { app: APP, feature: "preboot" },
      { app: APP, feature: "preboot", enabled: true },
    ],
    [
      { app: APP, feature: "runtime-dyno-metadata", enabled: false },
      { app: APP, feature: "runtime-dyno-metadata", enabled: false },
    ],
  ])("%j passes as %j", async (news, inputs) => {
    expect(await check(news)).toStrictEqual({ inputs, failures: [] });
  });

  test.each([
    [{ app: " ", feature: "preboot" }, "app", 'got " "; allowed: an app id or name'],
    [{ app: APP, feature: "Preboot" }, "feature", `got "Preboot"; allowed: ${ALLOWED}`],
    [{ app: APP }, "feature", `got nothing; allowed: ${ALLOWED}`],
    [
      { app: APP, feature: "preboot", enabled: "on" },
      "enabled",
      'got "on"; allowed: true or false',
    ],
  ])("%j fails on %s", async (news, property, reason) => {
    expect((await check(news)).failures).toStrictEqual([{ property, reason }]);
  });

  test.each([
    ["nothing", {}, false, []],
    ["switched off", { enabled: false }, true, []],
    ["another app", { app: "acme-web-2" }, true, ["app"]],
    ["another feature", { feature: "runtime-dyno-metadata" }, true, ["feature"]],
  ])("diff of %s", async (_what, change, changes, replaces) => {
    const olds = { app: APP, feature: "preboot", enabled: true };
    expect(await provider().diff!("id", olds, { ...olds, ...change })).toStrictEqual({
      changes,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});

describe("AppWebhook", () => {
  const provider = () => createAppWebhookProvider();
  const check = (news: Record<string, unknown>) => provider().check!({}, news);
  const URL = "https://hooks.example.com/heroku";
  const EVENTS_ALLOWED = `a non-empty list of ${WEBHOOK_EVENTS.join(", ")}`;

  test.each([
    [
      { include: ["api:release", "api:build", "api:release"] },
      { include: ["api:build", "api:release"], level: "notify" },
    ],
    [
      { include: ["dyno", "api:addon-attachment"], level: "sync" },
      { include: ["api:addon-attachment", "dyno"], level: "sync" },
    ],
    // Not known yet in a preview: kept as it is, neither sorted nor deduplicated.
    [
      { include: [UNKNOWN, "api:app", "api:app"] },
      { include: [UNKNOWN, "api:app", "api:app"], level: "notify" },
    ],
  ])("%j passes as %j", async (given, checked) => {
    expect(await check({ app: APP, url: URL, ...given })).toStrictEqual({
      inputs: { app: APP, url: URL, ...checked },
      failures: [],
    });
  });

  test.each([
    [
      { url: "http://hooks.example.com" },
      "url",
      'got "http://hooks.example.com"; allowed: an https:// URL',
    ],
    [{ url: "https://" }, "url", 'got "https://"; allowed: an https:// URL'],
    [{ url: "https://a b" }, "url", 'got "https://a b"; allowed: an https:// URL'],
    [{ url: " https://a" }, "url", 'got " https://a"; allowed: an https:// URL'],
    [{ include: [] }, "include", `got []; allowed: ${EVENTS_ALLOWED}`],
    [{ include: ["api:Release"] }, "include", `got ["api:Release"]; allowed: ${EVENTS_ALLOWED}`],
    [{ include: ["api:"] }, "include", `got ["api:"]; allowed: ${EVENTS_ALLOWED}`],
    [{ include: ["x api:app"] }, "include", `got ["x api:app"]; allowed: ${EVENTS_ALLOWED}`],
    [{ include: ["api:app x"] }, "include", `got ["api:app x"]; allowed: ${EVENTS_ALLOWED}`],
    [{ app: " " }, "app", 'got " "; allowed: an app id or name'],
    [{ level: "async" }, "level", 'got "async"; allowed: one of notify, sync'],
  ])("%j fails on %s", async (given, property, reason) => {
    const news = { app: APP, url: URL, include: ["api:release"], ...given };
    expect((await check(news)).failures).toStrictEqual([{ property, reason }]);
  });

  test.each([
    ["nothing", {}, false, []],
    ["another URL (in place)", { url: "https://hooks.example.com/2" }, true, []],
    ["other events (in place)", { include: ["api:build"] }, true, []],
    ["another level (in place)", { level: "sync" }, true, []],
    ["another app", { app: "acme-web-2" }, true, ["app"]],
  ])("diff of %s", async (_what, change, changes, replaces) => {
    const olds = { app: APP, url: URL, include: ["api:release"], level: "notify", secret: "s" };
    const news = { app: APP, url: URL, include: ["api:release"], level: "notify", ...change };
    expect(await provider().diff!("id", olds, news)).toStrictEqual({
      changes,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});

describe("LogDrain", () => {
  const provider = () => createLogDrainProvider();
  const check = (news: Record<string, unknown>) => provider().check!({}, news);
  const ALLOWED = "an https://, syslog:// or syslog+tls:// URL";

  test.each([
    "https://logs.example.com/t0k3n",
    "syslog://logs.example.com:514",
    "syslog+tls://logs:6514",
  ])("%j passes", async (url) => {
    expect(await check({ app: APP, url })).toStrictEqual({
      inputs: { app: APP, url },
      failures: [],
    });
  });

  test.each([
    "http://logs.example.com",
    "syslogs://logs",
    "syslog+tcp://logs",
    "https://",
    "https://logs example",
    " https://logs",
  ])("%j fails without being shown", async (url) => {
    expect((await check({ app: APP, url })).failures).toStrictEqual([
      { property: "url", reason: `got "[secret]"; allowed: ${ALLOWED}` },
    ]);
  });

  test("a blank app fails, naming it", async () => {
    expect((await check({ app: " ", url: "https://logs.example.com/t" })).failures).toStrictEqual([
      { property: "app", reason: 'got " "; allowed: an app id or name' },
    ]);
  });

  test.each([
    ["nothing", {}, false, []],
    ["another URL", { url: "https://logs.example.com/other" }, true, ["url"]],
    ["another app", { app: "acme-web-2" }, true, ["app"]],
  ])("diff of %s", async (_what, change, changes, replaces) => {
    const olds = { app: APP, url: "https://logs.example.com/t", token: "d.1" };
    const news = { app: APP, url: "https://logs.example.com/t", ...change };
    expect(await provider().diff!("id", olds, news)).toStrictEqual({
      changes,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});
