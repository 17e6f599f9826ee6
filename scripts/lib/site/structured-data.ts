// schema.org JSON-LD for comment and thread pages: plain objects, serialised by the `jsonScript` filter.
import type { AuthorRef, ThreadRef } from "../content/pages.ts";
import { authorPermalink, threadPermalink } from "../permalinks.ts";
import type { PageData } from "./page-model.ts";
import type { SiteComment } from "./site-archive.ts";

/** Turns a site-relative path into the absolute URL the site is published at. */
export type Absolute = (path: string) => string;

function person(author: AuthorRef, absolute: Absolute): Record<string, unknown> {
  return { "@type": "Person", name: author.name, alternateName: author.username, url: absolute(authorPermalink(author.slug)) };
}

function commentEntry(comment: SiteComment, absolute: Absolute): Record<string, unknown> {
  return {
    "@type": "Comment",
    "@id": absolute(comment.permalink),
    url: absolute(comment.permalink),
    author: person(comment.author, absolute),
    datePublished: comment.date,
    text: comment.text,
  };
}

function threadRef(thread: ThreadRef, absolute: Absolute): Record<string, unknown> {
  return { "@type": "DiscussionForumPosting", headline: thread.title, url: absolute(threadPermalink(thread.slug)) };
}

/** A comment page: the comment, and the discussion it belongs to. */
export function commentJsonLd(comment: SiteComment, absolute: Absolute): Record<string, unknown> {
  return { "@context": "https://schema.org", ...commentEntry(comment, absolute), parentItem: threadRef(comment.thread, absolute) };
}

/**
 * A thread page: the post (only its title, and its date and author when the export listed it)
 * with the comments this page shows; the others are on the thread's other pages.
 */
export function threadJsonLd({ thread, list, summary }: PageData["thread"], absolute: Absolute): Record<string, unknown> {
  const posting: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "DiscussionForumPosting",
    "@id": absolute(thread.permalink),
    headline: thread.title,
    url: absolute(list.url),
  };
  // The thread's count only where the page shows it: its other pages stay as they are when a comment is added.
  if (summary !== undefined) posting.commentCount = summary.comments;
  if (thread.post !== undefined) {
    posting.datePublished = thread.post.date;
    posting.author = person(thread.post.author, absolute);
  }
  posting.comment = list.items.map(({ comment }) => commentEntry(comment, absolute));
  return posting;
}
