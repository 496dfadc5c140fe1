// Preloaded into a `slipway` child process by the CLI tests (`node -r`): requests to
// `*.herokuapp.com` go to the fake Heroku's router at SLIPWAY_FAKE_ROUTER_URL, as
// test/heroku/fake/web-routing.ts routes them in-process.
require("ts-node/register/transpile-only");
const { routeToRouter } = require("../heroku/fake/web-routing");

const routerUrl = process.env.SLIPWAY_FAKE_ROUTER_URL;
if (routerUrl) globalThis.fetch = routeToRouter(routerUrl, globalThis.fetch);
