// The project folder, for tests that read its files or run its commands. Kept apart from
// stacks.ts so that such tests do not load the planning machinery and the Pulumi SDKs with it.
import * as path from "node:path";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
