// Where a forum comment lives on its forum and on GreaterWrong, from its pageUrl: the "LW · GW" links a text export shows as words.

/** A link to the comment elsewhere: the short text the export shows, and what it names for a screen reader. */
export interface OriginalLink {
  readonly href: string;
  readonly label: string;
  readonly name: string;
}

/** Forum hosts, their short labels and names, and the GreaterWrong host that mirrors them. */
const FORUMS: Readonly<Record<string, { label: string; name: string; mirror: string }>> = {
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
export function originalLinks(pageUrl: string | undefined): OriginalLink[] {
  if (pageUrl === undefined) return [];
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return [];
  }
  const forum = FORUMS[url.hostname];
  if (url.protocol !== "https:" || forum === undefined) return [];
  const links: OriginalLink[] = [{ href: url.href, label: forum.label, name: `this comment on ${forum.name}` }];
  const post = /^\/posts\/([A-Za-z0-9]+)\/([A-Za-z0-9-]+)\/?$/.exec(url.pathname);
  const commentId = url.searchParams.get("commentId");
  if (post !== null && commentId !== null && /^[A-Za-z0-9]+$/.test(commentId)) {
    links.push({ href: `https://${forum.mirror}/posts/${post[1]}/${post[2]}/comment/${commentId}`, label: "GW", name: "this comment on GreaterWrong" });
  }
  return links;
}
