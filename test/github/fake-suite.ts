// The set-up the GitHub tests share: one fake for the file, reset before each test, a client
// whose waits last a millisecond per second (so retries and rate-limit waits happen in order,
// without real time), the progress it reports, and no answer that broke GitHub's schema.
// `fake`, `github` and `events` are live bindings, valid inside tests.
import {
  createGithubClient,
  GithubClient,
  GithubClientOptions,
} from "../../operations/github/client";
import type { ProgressEvent } from "../../operations/progress";
import type { RepositoryFacts } from "../../operations/stack-facts";
import { FakeGithub, startFakeGithub } from "./fake";

export let fake: FakeGithub;
export let github: GithubClient;
export let events: ProgressEvent[];

export const REPOSITORY: RepositoryFacts = {
  owner: "acme",
  repository: "acme-web",
  productionBranch: "main",
  stagingBranch: "staging",
};

export function useFakeGithub(options: GithubClientOptions = {}): void {
  beforeAll(async () => {
    fake = await startFakeGithub({ owner: REPOSITORY.owner, repository: REPOSITORY.repository });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    events = [];
    github = client(options);
  });
  afterEach(() => expect(fake.answerProblems).toEqual([]));
}

/** A client of the fake with these options (waits of 1 ms a second unless given). */
export function client(options: GithubClientOptions = {}): GithubClient {
  return createGithubClient(
    { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url },
    { waitUnitMs: 1, progress: (event) => events.push(event), ...options },
  );
}
