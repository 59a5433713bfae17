import { describe, expect, it } from "vitest";
import { BUILT_IN_URGENT, priorityOf, raised, vipEntry } from "./priority.ts";
import { findWords } from "./words.ts";

describe("priorityOf", () => {
  it.each([
    ["URGENT: the site is down", "P1"],
    ["Emergency, we had a data loss overnight", "P1"],
    ["We can't access the dashboard, need this fixed asap", "P1"],
    ["Please reply asap about my invoice", "P2"],
    ["The site is down", "P3"],
    ["My invoice is wrong", "P3"],
    ["How do I export my data?", "P4"],
    ["Feature request: dark mode", "P4"],
    ["Quick question: is the API down?", "P3"],
  ])("%s → %s", (text, priority) => {
    expect(priorityOf(text, BUILT_IN_URGENT).priority).toBe(priority);
  });
});

describe("raised", () => {
  it("goes one step up and never above P1", () => {
    expect(["P1", "P2", "P3", "P4"].map((p) => raised(p as "P1"))).toEqual(["P1", "P1", "P2", "P3"]);
  });
});

describe("vipEntry", () => {
  const vip = ["cfo@globex.com", "@initech.io"];
  it.each([
    ["cfo@globex.com", "cfo@globex.com"],
    ["CFO@GLOBEX.com", "cfo@globex.com"],
    ["anyone@Initech.io", "@initech.io"],
    ["cto@globex.com", null],
    ["someone@eu.initech.io", null],
    [undefined, null],
  ])("%s → %s", (email, entry) => {
    expect(vipEntry(email, vip)).toBe(entry);
  });
});

describe("findWords", () => {
  it("matches whole words and phrases in any case, each once", () => {
    expect(findWords("The DOWNLOAD is down; Credit  Card declined. down again", ["down", "credit card", "Down", "load"])).toEqual(["down", "credit card"]);
  });

  it("reads a typographic apostrophe as a plain one", () => {
    expect(findWords("We can\u2019t access it", ["can't access"])).toEqual(["can't access"]);
  });

  it("takes keywords with regex characters literally", () => {
    expect(findWords("Our C++ SDK and the .NET client", ["c++", ".net", "c"])).toEqual(["c++", ".net", "c"]);
    expect(findWords("set api_key in the env", ["api", "key"])).toEqual([]);
  });
});
