// How `slipway review` shows its results: text lines and tables, or one JSON document.
import {
  duration,
  renderDown,
  renderList,
  renderNames,
  renderPrune,
} from "../../cli/review/render";
import type { ReviewListing } from "../../operations/review/list";

const DAY = 86_400_000;

test.each([
  [0, "0s"],
  [999, "0s"],
  [40_000, "40s"],
  [12 * 60_000 + 5000, "12m 5s"],
  [5 * 3_600_000 + 10 * 60_000 + 7000, "5h 10m"],
  [3 * DAY + 4 * 3_600_000 + 59 * 60_000, "3d 4h"],
  [2 * DAY + 30_000, "2d 30s"],
])("%d ms reads %s", (ms, text) => {
  expect(duration(ms)).toBe(text);
});

test("names: two lines, or JSON with the branch and pull request", () => {
  const names = {
    stack: "review-main-taemat",
    slug: "main-taemat",
    app: "acme-web-pr-4",
    hash: "taemat",
  };
  expect(renderNames(names, { branch: "main", pr: 4 }, "text")).toBe(
    "stack review-main-taemat\napp   acme-web-pr-4\n",
  );
  expect(JSON.parse(renderNames(names, { branch: "main" }, "json"))).toEqual({
    branch: "main",
    pr: null,
    stack: "review-main-taemat",
    app: "acme-web-pr-4",
  });
});

test("down: what was removed, or that there was nothing", () => {
  expect(
    renderDown({ stack: "review-a", outcome: "destroyed", apps: ["acme-web-a"] }, "text"),
  ).toBe("review-a destroyed and removed (app acme-web-a)\n");
  expect(renderDown({ stack: "review-a", outcome: "destroyed", apps: [] }, "text")).toBe(
    "review-a destroyed and removed\n",
  );
  expect(renderDown({ stack: "review-a", outcome: "absent", apps: [] }, "text")).toBe(
    "review-a does not exist: nothing to remove\n",
  );
  expect(
    JSON.parse(renderDown({ stack: "review-a", outcome: "absent", apps: [] }, "json")),
  ).toEqual({
    stack: "review-a",
    outcome: "absent",
    apps: [],
  });
});

describe("list", () => {
  const listing: ReviewListing = {
    backend: "s3://acme-state",
    stacks: [
      {
        stack: "review-login-form-tghcoa",
        appName: "acme-web-pr-42",
        url: "https://acme-web-pr-42.herokuapp.com/",
        createdAt: new Date("2030-01-01T00:00:00.000Z"),
        lastUpdate: new Date("2030-01-02T00:00:00.000Z"),
        ageMs: 3 * DAY,
        idleMs: 2 * DAY,
        updateInProgress: false,
        resourceCount: 6,
      },
      {
        stack: "review-new-aaaaaa",
        createdAt: new Date("2030-01-03T00:00:00.000Z"),
        ageMs: 60_000,
        idleMs: 60_000,
        updateInProgress: true,
      },
      { stack: "review-odd-bbbbbb" },
    ],
  };

  test("a table with age, last update, whether an update runs (unknown on S3) and the URL", () => {
    expect(renderList(listing, "text")).toBe(
      [
        "STACK                     APP             AGE  LAST UPDATE  UPDATING  URL",
        "review-login-form-tghcoa  acme-web-pr-42  3d   2d ago       no        https://acme-web-pr-42.herokuapp.com/",
        "review-new-aaaaaa         -               1m   never        yes       -",
        "review-odd-bbbbbb         -               -    never        unknown   -",
        "",
      ].join("\n"),
    );
    expect(renderList({ backend: "s3://acme-state", stacks: [] }, "text")).toBe(
      "no review stacks in s3://acme-state\n",
    );
  });

  test("JSON with ISO times and seconds, null where unknown", () => {
    expect(JSON.parse(renderList(listing, "json"))).toEqual({
      backend: "s3://acme-state",
      stacks: [
        {
          stack: "review-login-form-tghcoa",
          app: "acme-web-pr-42",
          url: "https://acme-web-pr-42.herokuapp.com/",
          createdAt: "2030-01-01T00:00:00.000Z",
          lastUpdate: "2030-01-02T00:00:00.000Z",
          ageSeconds: 259200,
          idleSeconds: 172800,
          updateInProgress: false,
          resourceCount: 6,
        },
        {
          stack: "review-new-aaaaaa",
          app: null,
          url: null,
          createdAt: "2030-01-03T00:00:00.000Z",
          lastUpdate: null,
          ageSeconds: 60,
          idleSeconds: 60,
          updateInProgress: true,
          resourceCount: null,
        },
        {
          stack: "review-odd-bbbbbb",
          app: null,
          url: null,
          createdAt: null,
          lastUpdate: null,
          ageSeconds: null,
          idleSeconds: null,
          updateInProgress: null,
          resourceCount: null,
        },
      ],
    });
  });
});

describe("prune", () => {
  const result = {
    olderThanMs: 5 * DAY,
    dryRun: false,
    stale: [
      { stack: "review-a", idleMs: 9 * DAY },
      { stack: "review-b", idleMs: 6 * DAY },
    ],
    fresh: [{ stack: "review-c", idleMs: DAY }],
    skipped: [{ stack: "review-d", reason: "an update is running" }],
    destroyed: ["review-a"],
    failed: [{ stack: "review-b", reason: "pulumi destroy of review-b failed" }],
  };

  test("each stack with what happened to it", () => {
    expect(renderPrune(result, "text")).toBe(
      [
        "stale after 5d without an update",
        "  review-a: idle 9d, destroyed and removed",
        "  review-b: idle 6d, not destroyed (below)",
        "  review-c: idle 1d, kept",
        "  review-d: skipped: an update is running",
        "  review-b: FAILED: pulumi destroy of review-b failed",
        "",
      ].join("\n"),
    );
    expect(renderPrune({ ...result, dryRun: true, destroyed: [], failed: [] }, "text")).toContain(
      "  review-a: idle 9d, would be destroyed\n",
    );
    expect(
      renderPrune(
        { ...result, stale: [], fresh: [], skipped: [], destroyed: [], failed: [] },
        "text",
      ),
    ).toBe("stale after 5d without an update\n  no review stacks\n");
  });

  test("JSON in seconds", () => {
    expect(JSON.parse(renderPrune(result, "json"))).toEqual({
      olderThanSeconds: 432000,
      dryRun: false,
      stale: [
        { stack: "review-a", idleSeconds: 777600 },
        { stack: "review-b", idleSeconds: 518400 },
      ],
      destroyed: ["review-a"],
      kept: [{ stack: "review-c", idleSeconds: 86400 }],
      skipped: [{ stack: "review-d", reason: "an update is running" }],
      failed: [{ stack: "review-b", reason: "pulumi destroy of review-b failed" }],
    });
  });
});
