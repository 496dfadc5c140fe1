// `npm run docs:config`: rewrites docs/configuration.md from config/schema.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { configurationMarkdown } from "../config/docs";

fs.writeFileSync(path.join(__dirname, "..", "docs", "configuration.md"), configurationMarkdown());
