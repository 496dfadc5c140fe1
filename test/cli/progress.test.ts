import { oneOf } from "../../cli/args";
import { progressPrinter } from "../../cli/progress";
import { SlipwayError } from "../../errors";

describe("progressPrinter", () => {
  test("each step carries the seconds since the printer was made; log lines are indented", () => {
    const lines: string[] = [];
    let now = 1_000;
    const report = progressPrinter(
      (text) => lines.push(text),
      () => now,
    );
    report({ step: "build", message: "started" });
    now = 13_449;
    report({ step: "build", message: "-----> Building on the Heroku-24 stack", log: true });
    now = 1_001_000;
    report({ step: "health", message: "3 of 3 checks answered 200" });
    expect(lines).toEqual([
      "[    0.0s] build: started\n",
      "           build | -----> Building on the Heroku-24 stack\n",
      "[ 1000.0s] health: 3 of 3 checks answered 200\n",
    ]);
  });
});

describe("oneOf", () => {
  test("a value it allows comes back as is", () => {
    expect(oneOf("--rollback", "never", ["auto", "always", "never"], "auto")).toBe("never");
  });

  test("any other value is bad input naming the flag, the value, what is allowed and the fix", () => {
    expect(() => oneOf("--rollback", "sometimes", ["auto", "always", "never"], "auto")).toThrow(
      new SlipwayError([
        {
          key: "--rollback",
          message: 'got "sometimes". Allowed: auto, always, never. Fix: --rollback auto',
        },
      ]),
    );
  });
});
