// Header lines and post items: every variant of docs/archive-format.md, and titles holding anything.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseAuthor, parseCommentHeader, parsePostItem } from "../../scripts/lib/archive/header.ts";

const TS = "2021-05-14T03:14:12.170Z";

describe("comment header lines", () => {
  const variants: [string, string, { username: string; name: string }, string][] = [
    ["tight", `**interstice**on Parsing Chris Mingard on Neural Networks · ${TS} · LW · GW`, { username: "interstice", name: "interstice" }, "Parsing Chris Mingard on Neural Networks"],
    ["spaced", `**interstice** on Some Post · ${TS} · LW · GW`, { username: "interstice", name: "interstice" }, "Some Post"],
    ["Comment by", `Comment by **habryka** on Some Post · ${TS} · LW · GW`, { username: "habryka", name: "habryka" }, "Some Post"],
    ["display name", `**Wei Dai (wei_dai)** on Some Post · ${TS} · LW · GW`, { username: "wei_dai", name: "Wei Dai" }, "Some Post"],
    ["deleted post, no links", `Comment by **interstice** on [deleted post] · ${TS}`, { username: "interstice", name: "interstice" }, "[deleted post]"],
    ["trailing whitespace", `**interstice**on Some Post · ${TS} · LW · GW  \t`, { username: "interstice", name: "interstice" }, "Some Post"],
  ];
  for (const [name, line, author, title] of variants) {
    test(name, () => {
      assert.deepEqual(parseCommentHeader(line), { author, threadTitle: title, timestamp: TS });
    });
  }

  const titles = [
    "A · B · C",
    `"Double" and 'single' and “curly” quotes`,
    "#1: C# and F#",
    "Key: value: more",
    "*em* and **strong** and ** and *",
    "Emoji 🎉 👩‍👩‍👧 🏳️‍🌈",
    "日本語 한국어 עברית العربية",
    "Combining: e\u0301 a\u0308",
    "Zero\u200Bwidth and no\u00A0break",
    "Separators\u2028inside\u2029a line",
    "Looks Linked · LW · GW",
    `Has a timestamp · 2020-01-01T00:00:00.000Z`,
    "Ends with a dot ·",
    "on on on",
    "[deleted post]",
    "Slash / backslash \\ <b>bold</b> &amp;",
  ];
  for (const title of titles) {
    for (const links of [" · LW · GW", ""]) {
      test(`title ${JSON.stringify(title)}${links === "" ? " without links" : ""}`, () => {
        for (const lead of ["**u**on", "**u** on", "Comment by **u** on"]) {
          const parsed = parseCommentHeader(`${lead} ${title} · ${TS}${links}`);
          assert.deepEqual(parsed, { author: { username: "u", name: "u" }, threadTitle: title, timestamp: TS }, lead);
        }
      });
    }
  }

  test("a header with an impossible timestamp is still a header (the parser reports it with its line)", () => {
    assert.equal(parseCommentHeader("**u**on T · 2021-13-45T99:00:00.000Z · LW · GW")?.timestamp, "2021-13-45T99:00:00.000Z");
  });

  test("lines that are not headers", () => {
    for (const line of [
      "",
      "Just a paragraph · 2021-05-14T03:14:12.170Z",
      "**bold** text with no title or timestamp",
      "**u**on Title without timestamp · LW · GW",
      "**u**on Title · 2021-05-14 · LW · GW",
      "**u**on Title · 2021-05-14T03:14:12.170+02:00 · LW · GW",
      "**u**on  · 2021-05-14T03:14:12.170Z",
      "> **u**on Quoted · 2021-05-14T03:14:12.170Z",
      "****on Title · 2021-05-14T03:14:12.170Z",
    ]) {
      const parsed = parseCommentHeader(line);
      assert.ok(parsed === undefined || parsed.threadTitle === "", `${JSON.stringify(line)} -> ${JSON.stringify(parsed)}`);
    }
  });
});

describe("authors", () => {
  test("Display Name (username): the username is the identity", () => {
    assert.deepEqual(parseAuthor("Wei Dai (wei_dai)"), { username: "wei_dai", name: "Wei Dai" });
    assert.deepEqual(parseAuthor("A (nested) name (user)"), { username: "user", name: "A (nested) name" });
    assert.deepEqual(parseAuthor("Ünïcödé Name\u2028Two (u-1)"), { username: "u-1", name: "Ünïcödé Name\u2028Two" });
  });
  test("a plain bold name is both username and name", () => {
    assert.deepEqual(parseAuthor("interstice"), { username: "interstice", name: "interstice" });
    assert.deepEqual(parseAuthor("../../etc/passwd"), { username: "../../etc/passwd", name: "../../etc/passwd" });
  });
});

describe("post items", () => {
  test("title and date", () => {
    assert.deepEqual(parsePostItem("My First Post 2020-01-15T10:00:00.000Z"), { title: "My First Post", timestamp: "2020-01-15T10:00:00.000Z" });
  });
  test("with score and votes", () => {
    assert.deepEqual(parsePostItem("Forecasting Thread: AI Timelines 2020-08-20T09:00:00.000Z · score: 42 (20 votes)"), {
      title: "Forecasting Thread: AI Timelines",
      timestamp: "2020-08-20T09:00:00.000Z",
      score: 42,
      votes: 20,
    });
    assert.deepEqual(parsePostItem("Down 2020-08-20T09:00:00.000Z · score: -3 (1 vote)"), { title: "Down", timestamp: "2020-08-20T09:00:00.000Z", score: -3, votes: 1 });
  });
  test("a title holding a timestamp or any Unicode", () => {
    assert.equal(parsePostItem("Recap 2019-01-01T00:00:00.000Z 2020-01-15T10:00:00.000Z")?.title, "Recap 2019-01-01T00:00:00.000Z");
    assert.equal(parsePostItem("Line\u2028separator 🎉 2020-01-15T10:00:00.000Z")?.title, "Line\u2028separator 🎉");
  });
  test("not a post item", () => {
    assert.equal(parsePostItem("No date here"), undefined);
    assert.equal(parsePostItem("2020-01-15T10:00:00.000Z"), undefined);
  });
});
