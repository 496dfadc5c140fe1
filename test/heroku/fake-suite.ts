// The set-up the fake's own behaviour tests share: one fake for the file, reset before each test,
// a client that does not retry (so each request is seen once), and no answer that broke the
// schema. `fake` and `heroku` are live bindings, valid inside tests.
import { HerokuClient } from "../../heroku/client";
import { HerokuApiError } from "../../heroku/errors";
import { FakeHeroku, FakeHerokuOptions, startFakeHeroku } from "./fake";
import { isolateHerokuEnv, rejectionOf } from "./support";

export let fake: FakeHeroku;
export let heroku: HerokuClient;

export function useFakeHeroku(options: FakeHerokuOptions): void {
  isolateHerokuEnv();
  beforeAll(async () => {
    fake = await startFakeHeroku(options);
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    process.env.HEROKU_API_KEY = fake.token;
    heroku = new HerokuClient({ baseUrl: fake.url, retry: { maxAttempts: 1 } });
  });
  afterEach(() => expect(fake.answerProblems).toEqual([]));
}

/** The API error `promise` rejects with; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<HerokuApiError> {
  const error = await rejectionOf<unknown>(promise);
  if (!(error instanceof HerokuApiError))
    throw new Error(`expected a HerokuApiError: ${String(error)}`);
  return error;
}
