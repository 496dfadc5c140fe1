// The RDS certificate authorities that reach the app: the committed regional bundles are what
// they claim to be, a stack's own file is checked, and a region without one is refused clearly.
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  bundleProblem,
  commonName,
  committedBundlePath,
  MAX_CA_BUNDLE_BYTES,
  pemCertificates,
  PROJECT_ROOT,
  RDS_CA_DIR,
  rdsCaBundle,
  regionalBundles,
} from "../../components/rds-ca";
import { SlipwayError } from "../../errors";

const REGIONS = fs
  .readdirSync(RDS_CA_DIR)
  .filter((file) => file.endsWith("-bundle.pem"))
  .map((file) => file.replace(/-bundle\.pem$/, ""))
  .sort();

describe("the committed regional bundles", () => {
  test("cover the commercial regions of 2022 and before", () => {
    expect(REGIONS).toEqual([
      "af-south-1",
      "ap-east-1",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-northeast-3",
      "ap-south-1",
      "ap-south-2",
      "ap-southeast-1",
      "ap-southeast-2",
      "ap-southeast-3",
      "ap-southeast-4",
      "ca-central-1",
      "eu-central-1",
      "eu-central-2",
      "eu-north-1",
      "eu-south-1",
      "eu-south-2",
      "eu-west-1",
      "eu-west-2",
      "eu-west-3",
      "me-central-1",
      "me-south-1",
      "sa-east-1",
      "us-east-1",
      "us-east-2",
      "us-west-1",
      "us-west-2",
    ]);
  });

  test.each(REGIONS)("%s: its three self-signed G1 roots, each signature valid", (region) => {
    const certificates = pemCertificates(fs.readFileSync(committedBundlePath(region), "utf8")).map(
      (pem) => new X509Certificate(pem),
    );
    expect(certificates.map(commonName)).toEqual(
      ["RSA2048", "RSA4096", "ECC384"].map((kind) => `Amazon RDS ${region} Root CA ${kind} G1`),
    );
    for (const certificate of certificates) {
      expect(certificate.ca).toBe(true);
      expect(certificate.issuer).toBe(certificate.subject);
      expect(certificate.verify(certificate.publicKey)).toBe(true);
      // Valid for decades: an expired root would make every connection fail.
      expect(new Date(certificate.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2061);
    }
  });

  test("us-east-1 is the bundle AWS publishes for the region (fingerprints)", () => {
    const fingerprints = pemCertificates(rdsCaBundle("us-east-1")).map(
      (pem) => new X509Certificate(pem).fingerprint256,
    );
    expect(fingerprints[0]).toBe(
      "E4:CE:41:D0:69:F4:BD:CD:B7:14:25:90:58:96:1E:E4:2E:D1:8C:F2:BF:62:7A:3D:64:7A:FF:25:43:7D:4B:68",
    );
    expect(fingerprints[2]).toBe(
      "82:D9:9E:9E:40:97:03:04:4C:3F:88:6F:87:A0:40:8C:96:CD:74:DE:E2:C9:BA:92:0E:65:53:A3:2E:37:25:39",
    );
  });

  test("a regional bundle fits a config var many times over", () => {
    for (const region of REGIONS) {
      expect(Buffer.byteLength(rdsCaBundle(region))).toBeLessThan(MAX_CA_BUNDLE_BYTES / 3);
    }
  });
});

describe("rdsCaBundle", () => {
  const scratch = path.join(PROJECT_ROOT, "node_modules", ".cache", "rds-ca-test");
  beforeAll(() => fs.mkdirSync(scratch, { recursive: true }));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(scratch, name), text);
    return path.relative(PROJECT_ROOT, path.join(scratch, name));
  };

  test("a stack's own file is used as it is, normalised", () => {
    const own = write("own.pem", `\n\n${rdsCaBundle("eu-west-1")}\n`);
    expect(rdsCaBundle("ca-west-1", own)).toBe(rdsCaBundle("eu-west-1"));
  });

  test("a region slipway ships nothing for names the key, the download and the fix", () => {
    expect(() => rdsCaBundle("ca-west-1")).toThrow(
      new SlipwayError([
        {
          key: "slipway:database.caBundleFile",
          message:
            "got nothing: slipway ships no RDS certificate bundle for aws:region ca-west-1, and " +
            "DATABASE_URL asks the app to verify the server. Allowed: the path, relative to the " +
            "project, of a PEM file with the region's RDS authorities. Fix: curl -o " +
            "certs/rds/ca-west-1-bundle.pem " +
            "https://truststore.pki.rds.amazonaws.com/ca-west-1/ca-west-1-bundle.pem, commit it, " +
            "then pulumi config set --path 'slipway:database.caBundleFile' " +
            "certs/rds/ca-west-1-bundle.pem",
        },
      ]),
    );
  });

  test("a missing file names the path given", () => {
    expect(() => rdsCaBundle("ca-west-1", "certs/nope.pem")).toThrow(
      'slipway:database.caBundleFile: got "certs/nope.pem": no such file in the project, and',
    );
  });

  test("a file that is not a bundle is refused with what is wrong", () => {
    const empty = write("empty.pem", "nothing here\n");
    expect(() => rdsCaBundle("ca-west-1", empty)).toThrow(
      `slipway:database.caBundleFile: got "${empty}": it holds no PEM certificate. Allowed: a ` +
        `PEM file of at most ${MAX_CA_BUNDLE_BYTES} bytes holding only certificate authorities. ` +
        `Fix: replace it with the regional bundle: curl -o ${empty} ` +
        "https://truststore.pki.rds.amazonaws.com/ca-west-1/ca-west-1-bundle.pem",
    );
  });

  test.each([
    ["no certificate", "", "it holds no PEM certificate"],
    [
      "a damaged certificate",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      "a certificate in it does not parse",
    ],
    [
      "the global bundle",
      REGIONS.map((r) => rdsCaBundle(r)).join(""),
      `its ${REGIONS.length * 3} certificates take ${Buffer.byteLength(REGIONS.map((r) => rdsCaBundle(r)).join(""))} bytes, too many for a Heroku config var (the global bundle?)`,
    ],
  ])("bundleProblem: %s", (_label, text, problem) => {
    expect(bundleProblem(text)).toBe(problem);
  });

  test("bundleProblem: a leaf certificate is not an authority", () => {
    const leaf = fs.readFileSync(path.join(__dirname, "fixtures", "leaf-not-a-ca.pem"), "utf8");
    expect(bundleProblem(leaf)).toBe("slipway test leaf (not a CA) is not an authority");
  });
});

test("regionalBundles splits a many-region bundle into each region's roots, in AWS's order", () => {
  const eu = pemCertificates(rdsCaBundle("eu-west-1"));
  const us = pemCertificates(rdsCaBundle("us-east-1"));
  // Shuffled, with a duplicate and a stray line, as a hand-edited file might be.
  const global = [us[2], eu[1], us[0], "junk\n", eu[0], us[1], eu[2], eu[2]].join("");
  expect([...regionalBundles(global)]).toEqual([
    ["eu-west-1", rdsCaBundle("eu-west-1")],
    ["us-east-1", rdsCaBundle("us-east-1")],
  ]);
});
