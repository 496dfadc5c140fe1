// Stack config keys the Heroku resources and their providers name. Kept apart from resources.ts
// so a provider's bundle (see `providerText`, provider-code.ts) takes the key without the resource classes and the
// Pulumi SDK they load.

/** The config key that says the production pipeline is connected to GitHub (review apps). */
export const GITHUB_CONNECTED_KEY = "slipway:reviewApps.githubConnected";
