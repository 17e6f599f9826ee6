// The forums that serve the same GraphQL API, by the short names the command accepts.

export const FORUM_ENDPOINTS: Readonly<Record<string, string>> = {
  lesswrong: "https://www.lesswrong.com/graphql",
  eaforum: "https://forum.effectivealtruism.org/graphql",
  alignmentforum: "https://www.alignmentforum.org/graphql",
};

/** The GraphQL endpoint for a forum name or an http(s) URL (a mirror, or a test server). */
export function forumEndpoint(forum: string): string {
  const known = FORUM_ENDPOINTS[forum.toLowerCase()];
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(forum);
  } catch (cause) {
    throw new Error(`--forum must be one of ${Object.keys(FORUM_ENDPOINTS).join(", ")} or a GraphQL endpoint URL, not "${forum}"`, { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`--forum URL must be http or https, not "${forum}"`);
  return url.href;
}
