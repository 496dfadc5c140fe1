// How requests to an app's web URL reach the fake's router: the API hands out Heroku's real
// shape of web URL (`https://<name>-<hex>.herokuapp.com/`, which its schema requires), and this
// fetch sends each such request to `<router>/<name>-<hex>/<path>` on loopback instead. Tests pass
// it where the operations take a `fetch`; a child process gets it from test/support/fake-web.js.

/** A fetch that routes `*.herokuapp.com` URLs to the router at `routerUrl`, and others as `base`. */
export function routeToRouter(routerUrl: string, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href);
    const host = /^([a-z][a-z0-9-]*)\.herokuapp\.com$/.exec(url.hostname)?.[1];
    if (host === undefined) return base(input, init);
    return base(`${routerUrl}/${host}${url.pathname}${url.search}`, init);
  };
}
