// What a rejected fetch means, read by shape (errors from another realm fail instanceof).
import { fetchFailure } from "../../heroku/fetch-failure";

test.each([
  [
    { name: "TimeoutError", message: "The operation was aborted due to timeout" },
    { timedOut: true, message: "The operation was aborted due to timeout" },
  ],
  [
    {
      name: "TypeError",
      message: "fetch failed",
      cause: { message: "connect ECONNREFUSED 127.0.0.1:9" },
    },
    { timedOut: false, message: "fetch failed (connect ECONNREFUSED 127.0.0.1:9)" },
  ],
  [
    { name: "TypeError", message: "fetch failed", cause: { code: "UND_ERR_SOCKET" } },
    { timedOut: false, message: "fetch failed" },
  ],
  ["a string thrown", { timedOut: false, message: "a string thrown" }],
  [null, { timedOut: false, message: "null" }],
])("%j", (error, failure) => {
  expect(fetchFailure(error)).toEqual(failure);
});
