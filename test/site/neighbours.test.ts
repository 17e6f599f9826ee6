// A comment page's neighbours: each linked once, with its time and first words, and one navigation when the thread's and the author's are the same comments.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { PROJECT_ROOT } from "../support/project-copy.ts";
import { buildSite, section, stampOf, textOf, type BuiltSite } from "./helpers.ts";

const FORUM_SAMPLE = path.join(PROJECT_ROOT, "archives/forum-sample/comments.json");

interface Comment {
  readonly url: string;
  readonly thread: string;
  readonly author: string;
  readonly date: string;
}

/** `[previous, next]` of `c` in `list` (oldest first). */
function around(list: readonly Comment[], c: Comment): [Comment | undefined, Comment | undefined] {
  const i = list.indexOf(c);
  return [list[i - 1], list[i + 1]];
}

/** Each `<nav class="neighbours">` of a page: its label and its list's links with their text. */
function navigations(html: string): { label: string; text: string; links: { href: string; text: string }[] }[] {
  return [...html.matchAll(/<nav class="neighbours" aria-label="([^"]*)">([\s\S]*?)<\/nav>/g)].map((m) => {
    const list = section(m[2] ?? "", /<ul class="neighbours__list">/, "ul");
    const links = [...list.matchAll(/<a href="([^"]*)">([\s\S]*?)<\/a>/g)].map((a) => ({ href: a[1] ?? "", text: textOf(a[2] ?? "") }));
    return { label: m[1] ?? "", text: textOf(list), links };
  });
}

describe("neighbours on the comment pages of the forum's API sample", () => {
  let site: BuiltSite;
  let comments: Comment[];
  const pageOf = (url: string): string => {
    const html = site.html.get(`${url.slice(1)}index.html`);
    assert.ok(html !== undefined, `${url} was built`);
    return html;
  };

  before(async () => {
    const { data } = JSON.parse(await readFile(FORUM_SAMPLE, "utf8")) as { data: { comments: { results: { postedAt: string; user: { username: string }; post: { _id: string } }[] } } };
    comments = data.comments.results
      .map((c) => ({ url: `/comments/${c.user.username}/${stampOf(c.postedAt)}/`, thread: c.post._id, author: c.user.username, date: c.postedAt }))
      .sort((a, b) => (a.date < b.date ? -1 : 1));
    site = await buildSite(FORUM_SAMPLE);
  });
  after(() => site?.copy.remove());

  test("each page links its neighbours in the thread and by the author, each once, and one navigation when they are the same", () => {
    let combined = 0;
    let named = 0;
    for (const c of comments) {
      const [previousInThread, nextInThread] = around(comments.filter((o) => o.thread === c.thread), c);
      const [previousByAuthor, nextByAuthor] = around(comments.filter((o) => o.author === c.author), c);
      const navs = navigations(pageOf(c.url));
      const linked = navs.flatMap((n) => n.links.map((l) => l.href));
      assert.deepEqual(linked.filter((href, i) => linked.indexOf(href) !== i), [], `${c.url} links a neighbour twice`);
      const expected = new Set([previousInThread, nextInThread, previousByAuthor, nextByAuthor].flatMap((n) => (n === undefined ? [] : [n.url])));
      assert.deepEqual(new Set(linked), expected, `${c.url} links exactly its neighbours`);
      if (previousInThread === previousByAuthor && nextInThread === nextByAuthor) {
        combined++;
        assert.equal(navs.length, 1, `${c.url}: one navigation for the same neighbours`);
        assert.match(navs[0]?.label ?? "", /^Comments in this thread and by /);
      } else {
        assert.deepEqual(navs.map((n) => n.label.replace(/ by .*/, " by")), ["Comments in this thread", "Comments by"], c.url);
        // A neighbour by the author that the thread's navigation links already is named there, not linked again.
        const byAuthor = navs[1];
        for (const [neighbour, word] of [[previousByAuthor, "Previous"], [nextByAuthor, "Next"]] as const) {
          if (neighbour === undefined || (neighbour !== previousInThread && neighbour !== nextInThread)) continue;
          named++;
          const which = neighbour === previousInThread ? "previous" : "next";
          assert.ok(byAuthor?.text.includes(`${word} The ${which} comment in this thread, linked above`), `${c.url}: the author's ${word.toLowerCase()} is the thread's ${which}`);
        }
      }
    }
    assert.ok(combined > 0, "some page has the same neighbours in its thread and by its author");
    assert.ok(named > 0, "some page has one neighbour in common");
  });

  test("each neighbour link shows that comment's time and first words, as its own page does", () => {
    let checked = 0;
    for (const c of comments) {
      for (const { href, text } of navigations(pageOf(c.url)).flatMap((n) => n.links)) {
        const target = pageOf(href);
        const time = textOf(/<time class="dt-published"[^>]*>([^<]*)<\/time>/.exec(target)?.[1] ?? "");
        assert.match(time, /^\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC$/, `${href} shows its time`);
        assert.ok(text.includes(time), `${c.url}: its link to ${href} shows ${time}`);
        const body = textOf(section(target, /<div class="comment-body[^"]*e-content[^"]*">/, "div"));
        const firstWords = body.split(" ").slice(0, 4).join(" ");
        assert.ok(text.includes(firstWords), `${c.url}: its link to ${href} shows "${firstWords}"`);
        assert.ok(text.length < 250, `${c.url}: its link to ${href} is ${text.length} characters long`);
        checked++;
      }
    }
    assert.ok(checked > comments.length, `${checked} links checked`);
  });
});
