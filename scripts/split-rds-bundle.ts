// `node -r ts-node/register/transpile-only scripts/split-rds-bundle.ts global-bundle.pem`:
// writes certs/rds/<region>-bundle.pem for every region in a multi-region RDS bundle (AWS's
// https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). See certs/rds/README.md.
import * as fs from "node:fs";
import { committedBundlePath, RDS_CA_DIR, regionalBundles } from "../components/rds-ca";

const [source] = process.argv.slice(2);
if (source === undefined) {
  process.stderr.write("usage: split-rds-bundle.ts <global-bundle.pem>\n");
  process.exit(2);
}
fs.mkdirSync(RDS_CA_DIR, { recursive: true });
for (const [region, pem] of regionalBundles(fs.readFileSync(source, "utf8"))) {
  fs.writeFileSync(committedBundlePath(region), pem);
  process.stdout.write(`${region}\n`);
}
