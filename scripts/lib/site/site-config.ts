// The site's identity and where it is deployed: one file (site.config.json), overridable per deployment.
import { readFileSync } from "node:fs";

export interface SiteConfig {
  title: string;
  description: string;
  language: string;
  /** Absolute origin the site is published at, without the path prefix, e.g. `https://example.org`. */
  url: string;
  /** The sub-path the site is deployed under, `/` or e.g. `/archive/` (leading and trailing slash). */
  pathPrefix: string;
  /** URLs per sitemap file (default 40,000; search engines take at most 50,000). */
  sitemapSize?: number;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

function positiveInteger(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(value)}`);
  return n;
}

/** Reads `site.config.json`; `SITE_URL`, `SITE_PATH_PREFIX` and `SITE_SITEMAP_SIZE` override it for one build. */
export function loadSiteConfig(file = "site.config.json", env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const config = JSON.parse(readFileSync(file, "utf8")) as SiteConfig;
  const loaded: SiteConfig = {
    ...config,
    url: (env.SITE_URL ?? config.url).replace(/\/+$/, ""),
    pathPrefix: normalisePrefix(env.SITE_PATH_PREFIX ?? config.pathPrefix),
  };
  const sitemapSize = positiveInteger(env.SITE_SITEMAP_SIZE ?? config.sitemapSize, "sitemap size (SITE_SITEMAP_SIZE)");
  if (sitemapSize !== undefined) loaded.sitemapSize = sitemapSize;
  return loaded;
}
