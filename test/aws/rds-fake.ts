// An in-process fake of RDS's Query API on 127.0.0.1 for the snapshot operations: form-encoded
// `Action=...&Version=2014-10-31` requests, signed with SigV4 (the fake reads the access key and
// region from the signature), XML answers and errors in the shapes @aws-sdk/client-rds parses.
// Snapshots move through `creating` to `available` (or `failed`) as they are described; faults
// are scripted per action. Point the SDK at it with AWS_ENDPOINT_URL_RDS.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_ACCESS_KEY_ID = "AKIAFAKE0000EXAMPLE";
export const FAKE_SECRET_ACCESS_KEY = "fake-secret-access-key";
const ACCOUNT = "123456789012";
const NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";

export interface FakeSnapshot {
  readonly id: string;
  readonly instance: string;
  readonly type: "manual" | "automated";
  status: string;
  percent: number;
  /** Absent while RDS has not started it. */
  readonly createdAt?: Date;
  readonly tags: readonly { Key: string; Value: string }[];
  /** Describes answered `creating` before the final status. */
  pollsLeft: number;
  /** The status it ends in. */
  readonly ends: "available" | "failed";
}

/** What the next create turns into: how many describes it stays `creating`, and how it ends. */
export interface CreateScript {
  readonly polls: number;
  readonly ends: "available" | "failed";
}

/** An error answer: the HTTP status, RDS's error code and message. */
export interface RdsFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Carry the request out first and fail only its answer (a create whose 500 hides success). */
  readonly apply?: boolean;
}

export const RdsFaults = {
  throttling: (): RdsFault => ({ status: 400, code: "Throttling", message: "Rate exceeded" }),
  serverError: (apply = false): RdsFault => ({
    status: 500,
    code: "InternalFailure",
    message: "An internal error occurred.",
    apply,
  }),
  accessDenied: (action: string, resource: string): RdsFault => ({
    status: 403,
    code: "AccessDenied",
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-web-deploy/GitHubActions is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  }),
  quotaExceeded: (): RdsFault => ({
    status: 400,
    code: "SnapshotQuotaExceeded",
    message: "Cannot create more than 100 manual snapshots",
  }),
  instanceState: (): RdsFault => ({
    status: 400,
    code: "InvalidDBInstanceState",
    message:
      "Cannot create a snapshot because the database instance acme-web-db is not currently in the available state.",
  }),
  invalidToken: (): RdsFault => ({
    status: 403,
    code: "InvalidClientTokenId",
    message: "The security token included in the request is invalid.",
  }),
};

export interface RdsRequest {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** From the SigV4 Authorization header's credential scope. */
  readonly accessKeyId?: string;
  readonly region?: string;
  /** The `x-amz-security-token` header: the session token of temporary credentials. */
  readonly sessionToken?: string;
}

export interface FakeRds {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL_RDS. */
  readonly url: string;
  readonly instances: Set<string>;
  readonly snapshots: Map<string, FakeSnapshot>;
  readonly requests: readonly RdsRequest[];
  /** `Action key=value ...` of each request, without Version: for exact sequences. */
  log(): string[];
  /** Scripts the next creates (in order); unscripted ones are available on the first describe. */
  scriptCreates(...scripts: CreateScript[]): void;
  fault(action: string, ...faults: RdsFault[]): void;
  /** Adds a snapshot as it would be found (slipway's from before, manual, automated). */
  addSnapshot(
    snapshot: Omit<FakeSnapshot, "pollsLeft" | "ends" | "percent" | "status"> & { status?: string },
  ): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeRds(
  options: { instances?: readonly string[] } = {},
): Promise<FakeRds> {
  const instances = new Set(options.instances ?? ["acme-web-db"]);
  const snapshots = new Map<string, FakeSnapshot>();
  const requests: RdsRequest[] = [];
  const scripts: CreateScript[] = [];
  const faults: { action: string; fault: RdsFault }[] = [];
  let region = "us-east-1";

  const arn = (id: string) => `arn:aws:rds:${region}:${ACCOUNT}:snapshot:${id}`;

  function handle(action: string, params: Record<string, string>): string {
    switch (action) {
      case "CreateDBSnapshot":
        return create(params);
      case "DescribeDBSnapshots":
        return describe(params);
      case "DeleteDBSnapshot":
        return remove(params);
      default:
        throw new RdsError(
          400,
          "InvalidAction",
          `Could not find operation ${action} for version 2014-10-31`,
        );
    }
  }

  function create(params: Record<string, string>): string {
    const id = params.DBSnapshotIdentifier ?? "";
    const instance = params.DBInstanceIdentifier ?? "";
    if (!/^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(id) || id.includes("--") || id.endsWith("-")) {
      throw new RdsError(
        400,
        "InvalidParameterValue",
        `The parameter DBSnapshotIdentifier is not a valid identifier: ${id}`,
      );
    }
    if (!instances.has(instance))
      throw new RdsError(404, "DBInstanceNotFound", `DBInstance ${instance} not found.`);
    if (snapshots.has(id.toLowerCase()))
      throw new RdsError(
        400,
        "DBSnapshotAlreadyExists",
        `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
      );
    const tags = listOf(params, "Tags.Tag").map((i) => ({
      Key: params[`Tags.Tag.${i}.Key`] ?? "",
      Value: params[`Tags.Tag.${i}.Value`] ?? "",
    }));
    const reserved = tags.find((t) => /^(aws|rds):/i.test(t.Key));
    if (reserved)
      throw new RdsError(
        400,
        "InvalidParameterValue",
        `Tag keys cannot start with aws: or rds: (${reserved.Key})`,
      );
    const script = scripts.shift() ?? { polls: 0, ends: "available" };
    const snapshot: FakeSnapshot = {
      id: id.toLowerCase(),
      instance,
      type: "manual",
      status: "creating",
      percent: 0,
      tags,
      pollsLeft: script.polls,
      ends: script.ends,
    };
    snapshots.set(snapshot.id, snapshot);
    return result("CreateDBSnapshot", `<DBSnapshot>${snapshotXml(snapshot)}</DBSnapshot>`);
  }

  function describe(params: Record<string, string>): string {
    const maxRecords = Number(params.MaxRecords ?? 100);
    if (maxRecords < 20 || maxRecords > 100) {
      throw new RdsError(
        400,
        "InvalidParameterValue",
        "Invalid value for MaxRecords. Must be between 20 and 100",
      );
    }
    if (params.DBSnapshotIdentifier !== undefined) {
      const one = snapshots.get(params.DBSnapshotIdentifier.toLowerCase());
      if (!one)
        throw new RdsError(
          404,
          "DBSnapshotNotFound",
          `DBSnapshot ${params.DBSnapshotIdentifier} not found.`,
        );
      advance(one);
      return result(
        "DescribeDBSnapshots",
        `<DBSnapshots><DBSnapshot>${snapshotXml(one)}</DBSnapshot></DBSnapshots>`,
      );
    }
    const matching = [...snapshots.values()].filter(
      (s) =>
        (params.DBInstanceIdentifier === undefined || s.instance === params.DBInstanceIdentifier) &&
        (params.SnapshotType === undefined || s.type === params.SnapshotType),
    );
    const start = Number(params.Marker ?? 0);
    const page = matching.slice(start, start + maxRecords);
    const marker =
      start + maxRecords < matching.length ? `<Marker>${start + maxRecords}</Marker>` : "";
    const list = page.map((s) => `<DBSnapshot>${snapshotXml(s)}</DBSnapshot>`).join("");
    return result("DescribeDBSnapshots", `${marker}<DBSnapshots>${list}</DBSnapshots>`);
  }

  function remove(params: Record<string, string>): string {
    const id = (params.DBSnapshotIdentifier ?? "").toLowerCase();
    const snapshot = snapshots.get(id);
    if (!snapshot) throw new RdsError(404, "DBSnapshotNotFound", `DBSnapshot ${id} not found.`);
    if (snapshot.type !== "manual")
      throw new RdsError(400, "InvalidDBSnapshotState", "Only manual snapshots may be deleted.");
    if (snapshot.status !== "available")
      throw new RdsError(
        400,
        "InvalidDBSnapshotState",
        `Cannot delete the snapshot because it is in state ${snapshot.status}.`,
      );
    snapshots.delete(id);
    snapshot.status = "deleted";
    return result("DeleteDBSnapshot", `<DBSnapshot>${snapshotXml(snapshot)}</DBSnapshot>`);
  }

  /** A describe moves a snapshot being created one step on. */
  function advance(snapshot: FakeSnapshot): void {
    if (snapshot.status !== "creating") return;
    if (snapshot.pollsLeft > 0) {
      snapshot.pollsLeft -= 1;
      snapshot.percent = Math.min(99, snapshot.percent + 25);
      return;
    }
    snapshot.status = snapshot.ends;
    snapshot.percent = snapshot.ends === "available" ? 100 : snapshot.percent;
  }

  function snapshotXml(s: FakeSnapshot): string {
    const created =
      s.createdAt ?? (s.status === "creating" ? undefined : new Date(Date.UTC(2025, 0, 6, 9)));
    return [
      tag("DBSnapshotIdentifier", s.id),
      tag("DBInstanceIdentifier", s.instance),
      created ? tag("SnapshotCreateTime", created.toISOString()) : "",
      tag("Engine", "postgres"),
      tag("AllocatedStorage", "20"),
      tag("Status", s.status),
      tag("Port", "5432"),
      tag("EngineVersion", "16.4"),
      tag("SnapshotType", s.type),
      tag("PercentProgress", String(s.percent)),
      tag("Encrypted", "true"),
      tag("DBSnapshotArn", arn(s.id)),
      `<TagList>${s.tags.map((t) => `<Tag>${tag("Key", t.Key)}${tag("Value", t.Value)}</Tag>`).join("")}</TagList>`,
    ].join("");
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action ?? "";
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/rds\/aws4_request/.exec(
        req.headers.authorization ?? "",
      );
      if (scope) region = scope[2]!;
      const token = req.headers["x-amz-security-token"];
      requests.push({
        action,
        params,
        accessKeyId: scope?.[1],
        region: scope?.[2],
        sessionToken: typeof token === "string" ? token : undefined,
      });
      const requestId = `fake-${String(requests.length - 1).padStart(4, "0")}`;
      const send = (status: number, xml: string) => {
        res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
        res.end(xml);
      };
      const index = faults.findIndex((f) => f.action === action);
      const fault = index < 0 ? undefined : faults.splice(index, 1)[0]!.fault;
      try {
        if (req.method !== "POST" || params.Version !== "2014-10-31")
          throw new RdsError(400, "InvalidAction", "Not a Query API request");
        if (!scope)
          throw new RdsError(
            403,
            "IncompleteSignature",
            "Authorization header requires a SigV4 Credential.",
          );
        if (fault && !fault.apply) throw new RdsError(fault.status, fault.code, fault.message);
        const answer = handle(action, params);
        if (fault) throw new RdsError(fault.status, fault.code, fault.message);
        send(200, answer);
      } catch (error) {
        if (!(error instanceof RdsError)) throw error;
        send(
          error.status,
          `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type>` +
            `${tag("Code", error.code)}${tag("Message", error.message)}</Error>${tag("RequestId", requestId)}</ErrorResponse>`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    instances,
    snapshots,
    requests,
    log: () =>
      requests.map((r) =>
        [
          r.action,
          ...Object.entries(r.params)
            .filter(([k]) => k !== "Action" && k !== "Version")
            .map(([k, v]) => `${k}=${v}`),
        ].join(" "),
      ),
    scriptCreates: (...next) => void scripts.push(...next),
    fault: (action, ...next) => void faults.push(...next.map((fault) => ({ action, fault }))),
    addSnapshot: (s) => {
      snapshots.set(s.id, {
        ...s,
        status: s.status ?? "available",
        percent: 100,
        pollsLeft: 0,
        ends: "available",
      });
    },
    reset() {
      snapshots.clear();
      requests.length = 0;
      scripts.length = 0;
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

class RdsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The indexes of a Query list (`Tags.Tag.1.Key`, `Tags.Tag.2.Key` -> [1, 2]). */
function listOf(params: Record<string, string>, prefix: string): number[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(params)) {
    const m = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)\\.`).exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

function result(action: string, inner: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>meta</RequestId></ResponseMetadata></${action}Response>`
  );
}

function tag(name: string, value: string): string {
  const escaped = value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
  return `<${name}>${escaped}</${name}>`;
}
