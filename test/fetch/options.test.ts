// Option checking for `npm run fetch`, and what identifies the command to the forum.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { excerptOf } from "../../scripts/lib/fetch/fetched-file.ts";
import { parseFetchOptions } from "../../scripts/lib/fetch/fetch-options.ts";

describe("fetch options", () => {
  test("defaults: LessWrong, archives/SLUG.json, half a second between requests", () => {
    const options = parseFetchOptions(["--user", "interstice"]);
    assert.equal(options.endpoint, "https://www.lesswrong.com/graphql");
    assert.equal(options.outFile, path.join("archives", "interstice.json"));
    assert.equal(options.delayMs, 500);
    assert.equal(options.pageSize, 100);
    assert.equal(options.mode, "update");
    assert.equal(parseFetchOptions(["--user", "x", "--new-only"]).mode, "new");
    assert.equal(parseFetchOptions(["--user", "x", "--full"]).mode, "full");
    assert.match(options.userAgent, /^Commentarium\/0\.1\.0 \(forum comment archiver\)$/);
    assert.equal(parseFetchOptions(["--user", "x", "--forum", "eaforum"]).endpoint, "https://forum.effectivealtruism.org/graphql");
    assert.equal(parseFetchOptions(["--user", "x", "--forum", "AlignmentForum"]).endpoint, "https://www.alignmentforum.org/graphql");
    assert.equal(parseFetchOptions(["--user", "x", "--contact", "me@example.org"]).userAgent, "Commentarium/0.1.0 (forum comment archiver; contact: me@example.org)");
  });

  test("bad values are errors that name the option", () => {
    const cases: [string[], RegExp][] = [
      [[], /^--user is required/],
      [["--user", "../etc"], /^--user "\.\.\/etc" is not a profile slug/],
      [["--user", "x", "--forum", "myspace"], /^--forum must be one of lesswrong, eaforum, alignmentforum or a GraphQL endpoint URL, not "myspace"/],
      [["--user", "x", "--forum", "ftp://example.org/graphql"], /^--forum URL must be http or https/],
      [["--user", "x", "--delay", "soon"], /^--delay must be a number of seconds \(0 or more\), not "soon"/],
      [["--user", "x", "--delay=-1"], /^--delay must be a number of seconds/],
      [["--user", "x", "--page-size", "5000"], /^--page-size must be a whole number from 1 to 2000, not "5000"/],
      [["--user", "x", "--retries", "1.5"], /^--retries must be a whole number/],
      [["--user", "x", "--contact", "é\n"], /^--contact must be printable ASCII/],
      [["--user", "x", "--new-only", "--full"], /^--new-only and --full exclude each other/],
    ];
    for (const [argv, message] of cases) assert.throws(() => parseFetchOptions(argv), { message }, argv.join(" "));
  });

  test("a parent's excerpt is its plain text, whitespace collapsed, cut at a word", () => {
    assert.equal(excerptOf("  short\n\ntext "), "short text");
    assert.equal(excerptOf(null), null);
    const long = excerptOf("word ".repeat(100), 30)!;
    assert.equal(long, "word word word word word word…");
  });
});
