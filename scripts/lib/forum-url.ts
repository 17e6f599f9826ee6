// Forum URLs of comments: the fetcher, the import and the site point one comment's URL at another of the same post.

/** A comment's forum URL (a post's URL, with or without `?commentId=`) pointed at another comment of the same post. */
export function withCommentId(pageUrl: string | undefined, commentId: string): string | undefined {
  if (pageUrl === undefined) return undefined;
  try {
    const url = new URL(pageUrl);
    url.searchParams.set("commentId", commentId);
    return url.href;
  } catch {
    return undefined;
  }
}
