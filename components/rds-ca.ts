// The certificate authorities an app needs to verify its RDS server: the region's bundle as AWS
// publishes it (`https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem`), from
// the copies committed in certs/rds/ or a file the stack names. Nothing here reaches a network.
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SlipwayError } from "../errors";

/** The project's root: bundles and `caBundleFile` paths are relative to it. */
export const PROJECT_ROOT = path.join(__dirname, "..");

/** Where the committed regional bundles live (see its README for where they come from). */
export const RDS_CA_DIR = path.join(PROJECT_ROOT, "certs", "rds");

/**
 * The largest bundle slipway puts in a config var. Heroku allows 32 kB for all of an app's
 * config vars together; a regional bundle is about 5 kB, AWS's global one over 150 kB.
 */
export const MAX_CA_BUNDLE_BYTES = 16 * 1024;

/** The RDS root authorities of the current generation, by key type, in AWS's bundle order. */
export const RDS_ROOT_KINDS = ["RSA2048", "RSA4096", "ECC384"] as const;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;
const REGIONAL_ROOT =
  /^Amazon RDS ([a-z]{2}(?:-gov)?-[a-z]+-\d) Root CA (RSA2048|RSA4096|ECC384) G1$/;

/** The certificates of a PEM text, each normalised to end in one newline. */
export function pemCertificates(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => `${block.trim()}\n`);
}

/** A certificate's subject common name. */
export function commonName(certificate: X509Certificate): string {
  const line = certificate.subject.split("\n").find((part) => part.startsWith("CN="));
  return line === undefined ? "" : line.slice(3);
}

/** The path of the committed bundle of `region`. */
export function committedBundlePath(region: string): string {
  return path.join(RDS_CA_DIR, `${region}-bundle.pem`);
}

/**
 * Where the bundle of `region` lives, relative to the project: the stack's own file when `file`
 * is given, else the committed one. For a client that reads the file from the project's folder
 * (the Postgres provider `pulumi up` runs there).
 */
export function caBundleProjectPath(region: string, file?: string): string {
  return file ?? path.relative(PROJECT_ROOT, committedBundlePath(region));
}

/**
 * The CA bundle for a database in `region`: the stack's own file when `file` is given (relative
 * to the project), else the committed one for the region.
 *
 * @throws SlipwayError naming `slipway:database.caBundleFile` when there is no bundle, the file
 *   holds no certificate authority, or it is too large for a config var.
 */
export function rdsCaBundle(region: string, file?: string): string {
  const key = "slipway:database.caBundleFile";
  const download = `https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`;
  const source = file === undefined ? committedBundlePath(region) : path.join(PROJECT_ROOT, file);
  let text: string;
  try {
    text = fs.readFileSync(source, "utf8");
  } catch {
    const got = file === undefined ? "nothing" : JSON.stringify(file);
    const why =
      file === undefined
        ? `slipway ships no RDS certificate bundle for aws:region ${region}`
        : "no such file in the project";
    throw SlipwayError.of(
      key,
      `got ${got}: ${why}, and DATABASE_URL asks the app to verify the server. Allowed: the ` +
        `path, relative to the project, of a PEM file with the region's RDS authorities. Fix: ` +
        `curl -o certs/rds/${region}-bundle.pem ${download}, commit it, then pulumi config set ` +
        `--path '${key}' certs/rds/${region}-bundle.pem`,
    );
  }
  const problem = bundleProblem(text);
  if (problem !== undefined) {
    throw SlipwayError.of(
      key,
      `got ${JSON.stringify(path.relative(PROJECT_ROOT, source))}: ${problem}. Allowed: a PEM ` +
        `file of at most ${MAX_CA_BUNDLE_BYTES} bytes holding only certificate authorities. ` +
        `Fix: replace it with the regional bundle: curl -o ${path.relative(PROJECT_ROOT, source)} ${download}`,
    );
  }
  return pemCertificates(text).join("");
}

/** What is wrong with a bundle's text, if anything. */
export function bundleProblem(text: string): string | undefined {
  const blocks = pemCertificates(text);
  if (blocks.length === 0) return "it holds no PEM certificate";
  const size = Buffer.byteLength(blocks.join(""));
  if (size > MAX_CA_BUNDLE_BYTES) {
    return `its ${blocks.length} certificates take ${size} bytes, too many for a Heroku config var (the global bundle?)`;
  }
  for (const block of blocks) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      return "a certificate in it does not parse";
    }
    if (!certificate.ca) return `${commonName(certificate) || "a certificate"} is not an authority`;
  }
  return undefined;
}

/**
 * Splits a bundle of many regions (AWS's `global-bundle.pem`) into one bundle per region, each
 * with the region's current roots in AWS's order, as `scripts/split-rds-bundle.ts` writes them
 * to certs/rds/. Older (2019) and preview authorities are left out.
 */
export function regionalBundles(globalPem: string): Map<string, string> {
  const byRegion = new Map<string, Map<string, string>>();
  for (const block of pemCertificates(globalPem)) {
    const match = REGIONAL_ROOT.exec(commonName(new X509Certificate(block)));
    if (!match) continue;
    const [, region, kind] = match as unknown as [string, string, string];
    const roots = byRegion.get(region) ?? new Map<string, string>();
    roots.set(kind, block);
    byRegion.set(region, roots);
  }
  const bundles = new Map<string, string>();
  for (const region of [...byRegion.keys()].sort()) {
    const roots = byRegion.get(region)!;
    bundles.set(region, RDS_ROOT_KINDS.flatMap((kind) => roots.get(kind) ?? []).join(""));
  }
  return bundles;
}
