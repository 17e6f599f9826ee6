// Where a forum comment lives on its forum and on GreaterWrong, from its pageUrl: the "LW · GW" links a text export shows as words.

/** A link to the comment elsewhere: the short text the export shows, and what it names for a screen reader. */
export interface OriginalLink {
  readonly href: string;
  readonly label: string;
  readonly name: string;
}

/** Forum hosts, their short labels and names, and the GreaterWrong host that mirrors them. */
interface Forum {
  readonly label: string;
  readonly name: string;
  readonly mirror: string;
}

const FORUMS: Readonly<Record<string, Forum>> = {
  "www.lesswrong.com": { label: "LW", name: "LessWrong", mirror: "www.greaterwrong.com" },
  "lesswrong.com": { label: "LW", name: "LessWrong", mirror: "www.greaterwrong.com" },
  "www.alignmentforum.org": { label: "AF", name: "the Alignment Forum", mirror: "www.greaterwrong.com" },
  "alignmentforum.org": { label: "AF", name: "the Alignment Forum", mirror: "www.greaterwrong.com" },
  "forum.effectivealtruism.org": { label: "EA", name: "the EA Forum", mirror: "ea.greaterwrong.com" },
};

/**
 * The comment on its forum and on GreaterWrong (`/posts/<id>/<slug>/comment/<commentId>`), from
 * the forum's `pageUrl` (`/posts/<id>/<slug>?commentId=<commentId>`). Only an https URL of a known
 * forum makes links: the URL comes from input, and a link must never lead anywhere else.
 */
export function originalLinks(pageUrl: string | undefined, what = "this comment"): OriginalLink[] {
  const known = forumUrl(pageUrl);
  if (known === undefined) return [];
  const { url, forum, post } = known;
  const links: OriginalLink[] = [{ href: url.href, label: forum.label, name: `${what} on ${forum.name}` }];
  const commentId = url.searchParams.get("commentId");
  if (post !== undefined && commentId !== null && /^[A-Za-z0-9]+$/.test(commentId)) {
    links.push({ href: `https://${forum.mirror}/posts/${post.id}/${post.slug}/comment/${commentId}`, label: "GW", name: `${what} on GreaterWrong` });
  }
  return links;
}

/** The post a forum comment is on, on its forum and on GreaterWrong, from the comment's `pageUrl`. */
export function postLinks(pageUrl: string | undefined): OriginalLink[] {
  const known = forumUrl(pageUrl);
  if (known?.post === undefined) return [];
  const { forum, post } = known;
  return [
    { href: `${known.url.origin}/posts/${post.id}/${post.slug}`, label: forum.label, name: `this post on ${forum.name}` },
    { href: `https://${forum.mirror}/posts/${post.id}/${post.slug}`, label: "GW", name: "this post on GreaterWrong" },
  ];
}

/** `pageUrl` when it is an https URL of a known forum, with the forum and the post it names. */
function forumUrl(pageUrl: string | undefined): { url: URL; forum: Forum; post?: { id: string; slug: string } } | undefined {
  if (pageUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  const forum = FORUMS[url.hostname];
  if (url.protocol !== "https:" || forum === undefined) return undefined;
  const post = /^\/posts\/([A-Za-z0-9]+)\/([A-Za-z0-9-]+)\/?$/.exec(url.pathname);
  return post === null ? { url, forum } : { url, forum, post: { id: post[1] ?? "", slug: post[2] ?? "" } };
}
