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
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

/** Reads `site.config.json`; `SITE_URL` and `SITE_PATH_PREFIX` override it for one build. */
export function loadSiteConfig(file = "site.config.json", env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const config = JSON.parse(readFileSync(file, "utf8")) as SiteConfig;
  return {
    ...config,
    url: (env.SITE_URL ?? config.url).replace(/\/+$/, ""),
    pathPrefix: normalisePrefix(env.SITE_PATH_PREFIX ?? config.pathPrefix),
  };
}
