// The snapshot request both snapshot test files make, and the identifier it gets at fakeClock's
// start (2023-11-14T22:13:20Z).
import type { SnapshotRequest } from "../../operations/snapshot";

export const SNAPSHOT_ID = "slipway-acme-web-v42-20231114t221320z";

export const SNAPSHOT_REQUEST: SnapshotRequest = {
  databaseIdentifier: "acme-web-db",
  region: "eu-west-1",
  appName: "acme-web",
  release: 42,
  timeoutSeconds: 60,
  pollIntervalSeconds: 10,
};
