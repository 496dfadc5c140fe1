import {
  isRdsPostgresInstanceClass,
  isUrlWithProtocol,
  isValidBranchName,
  isValidIpv4Cidr,
  isValidRepositoryName,
  isValidRepositoryPath,
  looksSecret,
  postgresVersionProblem,
  REPOSITORY_PATH,
  upperSnakeCase,
} from "../../config/limits";

describe("isValidBranchName follows git check-ref-format", () => {
  test.each([
    ["main", true],
    ["release/2026-11", true],
    ["feature/login-form", true],
    ["release/v1.2", true],
    ["", false],
    ["@", false],
    ["-main", false],
    ["/main", false],
    ["main/", false],
    ["main.", false],
    ["main.lock", false],
    ["a..b", false],
    ["a@{1}", false],
    ["a//b", false],
    ["a b", false],
    ["a~1", false],
    ["a^", false],
    ["a:b", false],
    ["a?", false],
    ["a*", false],
    ["a[b", false],
    ["a\\b", false],
    ["a\u0007b", false],
    ["a\u001fb", false],
    ["a\u007fb", false],
    ["a!b", true],
    ["a/.hidden", false],
    ["x".repeat(255), true],
    ["x".repeat(256), false],
  ])("%j is %s", (name, valid) => {
    expect(isValidBranchName(name)).toBe(valid);
  });
});

describe("isValidRepositoryName", () => {
  test.each([
    ["acme-web", true],
    ["acme.web_2", true],
    [".", false],
    ["..", false],
    ["acme-web.git", false],
    ["acme web", false],
    ["a".repeat(101), false],
  ])("%j is %s", (name, valid) => {
    expect(isValidRepositoryName(name)).toBe(valid);
  });
});

describe("isValidRepositoryPath: owner/name", () => {
  test.each([
    ["acme/slipway", true],
    ["acme/slipway/extra", false],
    ["/slipway", false],
    ["acme/", false],
    ["acme", false],
    ["acme/slipway.git", false],
    ["-acme/slipway", false],
  ])("%j is %s", (path, valid) => {
    expect(isValidRepositoryPath(path)).toBe(valid);
  });
});

describe("isRdsPostgresInstanceClass", () => {
  test.each([
    ["db.t4g.micro", true],
    ["db.m7g.16xlarge", true],
    ["db.x2iedn.32xlarge", true],
    ["rds.m7g.large", false],
    ["db.m7g.large.x", false],
    ["db.m7g", false],
    ["db", false],
    ["db.m7g.micro", false],
    ["db.toString.large", false],
    ["db.constructor.large", false],
  ])("%j is %s", (instanceClass, offered) => {
    expect(isRdsPostgresInstanceClass(instanceClass)).toBe(offered);
  });
});

describe("postgresVersionProblem", () => {
  test.each([
    ["16", undefined],
    ["13", undefined],
    ["18", undefined],
    ["14.18", undefined],
    ["16.10", undefined],
    ["14.17", "RDS no longer creates 14.17 (the oldest 14.x it creates is 14.18)"],
    ["16.0", "RDS no longer creates 16.0 (the oldest 16.x it creates is 16.9)"],
    ["12", "RDS does not create PostgreSQL 12 instances"],
    ["19.1", "RDS does not create PostgreSQL 19 instances"],
    ["16.x", "not a Postgres version"],
    ["v16", "not a Postgres version"],
    ["16.9.1", "not a Postgres version"],
    ["", "not a Postgres version"],
  ])("%j: %s", (version, problem) => {
    expect(postgresVersionProblem(version)).toBe(problem);
  });
});

describe("looksSecret's name framing", () => {
  test.each([
    // Two breaks of each kind in one name: every one is split, not only the first.
    ["dbMasterPassword", "DB_MASTER_PASSWORD"],
    ["DBPasswordAPIKey", "DB_PASSWORD_API_KEY"],
    ["db-master--passwd", "DB_MASTER_PASSWD"],
    ["api.key id", "API_KEY_ID"],
  ])("%j reads as %s", (name, snake) => {
    expect(upperSnakeCase(name)).toBe(snake);
  });

  test("patterns given in lowercase match regardless of case", () => {
    expect(looksSecret("LICENSE", ["^_license_$"])).toBe(true);
    expect(looksSecret("licenseKey", ["_license_"])).toBe(true);
  });
});

describe("isValidIpv4Cidr", () => {
  test.each([
    ["0.0.0.0/0", true],
    ["203.0.113.0/24", true],
    ["10.1.2.3/32", true],
    ["255.255.255.255/32", true],
    ["10.0.0.1/24", false],
    ["x10.0.0.0/8", false],
    ["10.0.0.0/8x", false],
    ["256.0.0.0/8", false],
    ["10.0.0.0/33", false],
    ["10.0.0.0", false],
    ["fd00::/8", false],
  ])("%j is %s", (cidr, valid) => {
    expect(isValidIpv4Cidr(cidr)).toBe(valid);
  });
});

describe("isUrlWithProtocol", () => {
  test.each([
    ["https://hooks.example.com/x", ["https:"], true],
    ["http://hooks.example.com/x", ["https:"], false],
    ["syslog+tls://logs.example.com:6514", ["syslog+tls:"], true],
    ["not a url", ["https:"], false],
  ])("%j with %j is %s", (url, protocols, valid) => {
    expect(isUrlWithProtocol(url, protocols)).toBe(valid);
  });
});

describe("REPOSITORY_PATH: repository folders and files for slipway:deploy", () => {
  test.each([
    ["migrations/", true],
    ["db/migrate/", true],
    ["apps/web/prisma/migrations/", true],
    ["package-lock.json", true],
    [".nvmrc", true],
    ["Procfile", true],
    ["@scope/pkg/package.json", true],
    ["a+b/c_d.e-f", true],
    ["/etc/passwd", false],
    ["../db/", false],
    ["db/../secrets/", false],
    ["db/..", false],
    ["..", false],
    ["*.lock", false],
    ["db/migrate/*.rb", false],
    ["db migrate/", false],
    ["", false],
  ])("%j is %s", (path, valid) => {
    expect(REPOSITORY_PATH.test(path)).toBe(valid);
  });
});
