import { describe, expect, it } from "vitest";
import { detectDependencies, manifestKind } from "./dependencies.ts";
import { LineIndex } from "../../secrets/text.ts";
import { compareVersions, formatVersion, lowestAllowed, parseVersion } from "./versions.ts";

const low = (spec: string) => {
  const v = lowestAllowed(spec);
  return v && formatVersion(v);
};

describe("versions", () => {
  it("compares numbers part by part and pre-releases before releases", () => {
    const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
    expect(cmp("4.17.20", "4.17.21")).toBe(-1);
    expect(cmp("4.10.0", "4.9.9")).toBe(1);
    expect(cmp("2.12.6.1", "2.12.6")).toBe(1);
    expect(cmp("1.2", "1.2.0")).toBe(0);
    expect(cmp("2.0-beta9", "2.0")).toBe(-1);
    expect(cmp("2.0.0-rc.2", "2.0.0-rc.10")).toBe(-1);
    expect(cmp("4.3.0.RELEASE", "4.3.0")).toBe(0);
  });

  it("takes the lowest version a requirement allows", () => {
    expect(low("4.17.20")).toBe("4.17.20");
    expect(low("^4.17.0")).toBe("4.17.0");
    expect(low("~1.2.3")).toBe("1.2.3");
    expect(low(">= 1.0.0 < 2")).toBe("1.0.0");
    expect(low(">1.2.5")).toBe("1.2.6");
    expect(low("1.2.x")).toBe("1.2");
    expect(low("1.2.3 - 2.0.0")).toBe("1.2.3");
    expect(low("^2.0.0 || ^1.4.0")).toBe("1.4.0");
    expect(low("==2.25.1")).toBe("2.25.1");
    expect(low(">=2.0,<3")).toBe("2.0");
    expect(low("~=1.4.2")).toBe("1.4.2");
    expect(low("~> 5.2")).toBe("5.2");
    expect(low("[2.10.0,2.15.0)")).toBe("2.10.0");
    expect(low("v1.0.0")).toBe("1.0.0");
  });

  it("claims nothing about ranges without a lower bound or specs that are not versions", () => {
    for (const spec of ["*", "latest", "<2.0.0", "", "x", "github:acme/lib", "file:../lib", "workspace:*", "npm:lodash@4"]) expect(low(spec), spec).toBeNull();
  });
});

const scan = (text: string, filename?: string) => {
  const index = new LineIndex(text);
  const kind = manifestKind(index, filename);
  return kind ? detectDependencies(index, kind) : [];
};

describe("vulnerable dependencies", () => {
  it("flags package.json dependencies by the lowest version their range allows", () => {
    const pkg = `{
  "name": "shop",
  "version": "1.0.0",
  "dependencies": {
    "lodash": "^4.17.15",
    "express": "4.21.2",
    "axios": "~0.21.1"
  },
  "devDependencies": { "minimist": "1.2.5", "jsonwebtoken": "^9.0.2" }
}`;
    const findings = scan(pkg, "package.json");
    expect(findings.map((f) => [f.line, f.column, f.severity, f.evidence])).toEqual([
      [5, 6, "high", "lodash ^4.17.15 (allows 4.17.15): CVE-2021-23337"],
      [7, 6, "medium", "axios ~0.21.1 (allows 0.21.1): CVE-2023-45857"],
      [9, 25, "critical", "minimist 1.2.5: CVE-2021-44906"],
    ]);
    expect(findings[0]).toMatchObject({ rule: "vulnerable-dependency", category: "dependency" });
    expect(findings[0]!.fix).toContain("Upgrade lodash to 4.17.21 or later");
  });

  it("recognises a package.json without its name, and ignores versions outside an advisory's ranges", () => {
    const findings = scan(`{\n  "dependencies": {\n    "node-fetch": "3.0.0",\n    "semver": "6.3.1",\n    "ws": "6.2.2"\n  }\n}`);
    expect(findings.map((f) => f.evidence)).toEqual(["node-fetch 3.0.0: CVE-2022-0235"]);
  });

  it("reads package-lock.json versions at their package's key", () => {
    const lock = `{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "shop", "version": "1.0.0" },
    "node_modules/handlebars": {
      "version": "4.7.6"
    }
  }
}`;
    expect(scan(lock).map((f) => [f.line, f.evidence])).toEqual([[5, "handlebars 4.7.6: CVE-2021-23369"]]);
  });

  it("reads requirements.txt with normalised names, extras and markers", () => {
    const requirements = "# web\nDjango==3.2.12\nrequests[socks]>=2.20,<3\nPyYAML==6.0.1\nurllib3==2.0.7 ; python_version >= '3.8'\n";
    expect(scan(requirements, "requirements.txt").map((f) => [f.line, f.evidence])).toEqual([
      [2, "django ==3.2.12: CVE-2022-28346"],
      [3, "requests >=2.20,<3 (allows 2.20): CVE-2023-32681"],
    ]);
  });

  it("reads Gemfile.lock specs, without platform suffixes", () => {
    const lock =
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.4-x86_64-linux)\n      racc (~> 1.4)\n    rack (2.2.3)\n    json (2.7.1)\n";
    expect(scan(lock, "Gemfile.lock").map((f) => [f.line, f.evidence])).toEqual([
      [4, "nokogiri 1.13.4: CVE-2022-29181"],
      [6, "rack 2.2.3: CVE-2022-30123"],
    ]);
  });

  it("reads pom.xml with versions from properties, and Log4Shell's whole range", () => {
    const pom = `<project>
  <properties><log4j.version>2.14.1</log4j.version></properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>\${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>2.0-beta9</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>2.17.2</version>
    </dependency>
  </dependencies>
</project>`;
    expect(scan(pom, "pom.xml").map((f) => [f.line, f.severity, f.evidence])).toEqual([
      [6, "critical", "org.apache.logging.log4j:log4j-core 2.14.1: CVE-2021-44228"],
      [11, "critical", "org.apache.logging.log4j:log4j-core 2.0-beta9: CVE-2021-44228"],
    ]);
  });

  it("reads Gradle coordinates", () => {
    const gradle = `dependencies {\n    implementation 'org.yaml:snakeyaml:1.33'\n    implementation("org.apache.commons:commons-text:1.9")\n}`;
    expect(scan(gradle, "build.gradle.kts").map((f) => f.evidence)).toEqual([
      "org.yaml:snakeyaml 1.33: CVE-2022-1471",
      "org.apache.commons:commons-text 1.9: CVE-2022-42889",
    ]);
  });

  it("does not take ordinary text or code for a manifest", () => {
    expect(manifestKind(new LineIndex("const deps = { lodash: '4.17.0' };\nconsole.log(deps);"))).toBeNull();
    expect(manifestKind(new LineIndex("# Notes\nWe pinned numpy==1.26 last week.\nMore text here.\nAnd here."))).toBeNull();
  });
});
