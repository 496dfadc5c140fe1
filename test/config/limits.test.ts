import {
  isUrlWithProtocol,
  isValidBranchName,
  isValidIpv4Cidr,
  isValidRepositoryName,
  REPOSITORY_PATH,
} from "../../config/limits";

describe("isValidBranchName follows git check-ref-format", () => {
  test.each([
    ["main", true],
    ["release/2026-11", true],
    ["feature/login-form", true],
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
