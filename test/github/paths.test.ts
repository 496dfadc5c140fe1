import { changesMatching, matchesRepositoryPath } from "../../operations/github/paths";

describe("matchesRepositoryPath", () => {
  test.each([
    // folders: at the root and at any depth, whole segments only
    ["migrations/20240101_add_users.sql", "migrations/", true],
    ["apps/web/migrations/20240101_add_users.sql", "migrations/", true],
    ["migrations/nested/deeper/1.sql", "migrations/", true],
    ["db/migrate/20240101000000_add_users.rb", "db/migrate/", true],
    ["engines/billing/db/migrate/1_x.rb", "db/migrate/", true],
    ["old_migrations/1.sql", "migrations/", false],
    ["migrations.md", "migrations/", false],
    ["migrations", "migrations/", false],
    ["db/migrate", "db/migrate/", false],
    ["db/migrated/1.rb", "db/migrate/", false],
    ["mydb/migrate/1.rb", "db/migrate/", false],
    ["db/seeds/migrate/1.rb", "db/migrate/", false],
    // files: the whole last segments
    ["package-lock.json", "package-lock.json", true],
    ["apps/web/package-lock.json", "package-lock.json", true],
    ["Procfile", "Procfile", true],
    ["Procfile.dev", "Procfile", false],
    ["MyProcfile", "Procfile", false],
    ["docs/Procfile/readme.md", "Procfile", false],
    ["config/app.json", "config/app.json", true],
    ["deploy/config/app.json", "config/app.json", true],
    ["app.json", "config/app.json", false],
    ["myconfig/app.json", "config/app.json", false],
    // case matters, as it does in git
    ["procfile", "Procfile", false],
    ["Migrations/1.sql", "migrations/", false],
    // `./` segments and doubled slashes in a pattern mean nothing
    ["migrations/1.sql", "./migrations/", true],
    ["db/migrate/1.rb", "db//migrate/", true],
    // a pattern with no segment names nothing
    ["anything", "./", false],
  ])("%s against %s: %s", (file, pattern, expected) => {
    expect(matchesRepositoryPath(file, pattern)).toBe(expected);
  });
});

describe("changesMatching", () => {
  const changes = [
    { path: "migrations/3_add_index.sql" },
    { path: "archive/2_old.sql", previousPath: "migrations/2_old.sql" },
    { path: "db/migrate/4_rename.rb", previousPath: "tmp/4_rename.rb" },
    { path: "src/app.ts", previousPath: "src/main.ts" },
    { path: "README.md" },
  ];

  test("keeps the changes whose new or previous path matches, in their order", () => {
    expect(changesMatching(changes, ["migrations/", "db/migrate/"])).toEqual([
      { path: "migrations/3_add_index.sql" },
      { path: "archive/2_old.sql", previousPath: "migrations/2_old.sql" },
      { path: "db/migrate/4_rename.rb", previousPath: "tmp/4_rename.rb" },
    ]);
  });

  test("no pattern matches nothing", () => {
    expect(changesMatching(changes, [])).toEqual([]);
  });
});
