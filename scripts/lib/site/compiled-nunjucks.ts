// Nunjucks templates compiled once per template, not once per page: Eleventy 3.1 compiles a Nunjucks template's text again for every page it renders.
import type { UserConfig } from "@11ty/eleventy";

/** The part of Nunjucks' API this uses (Eleventy hands over its own copy and environment). */
interface NunjucksTemplate {
  render(context: object, callback: (error: Error | null, result: string | null) => void): void;
}
interface NunjucksLibrary {
  Template: new (source: string, environment: unknown, path: string | undefined, eagerCompile: boolean) => NunjucksTemplate;
}

/**
 * Eleventy 3.1's Nunjucks engine leaves caching to Nunjucks' loader, which holds only included
 * and extended files, so the text of a layout or a permalink is compiled again for each of its
 * pages: 7% of Eleventy's time on a whole build of this site. This overrides `njk` with the same
 * rendering, by Eleventy's own Nunjucks environment (its filters, and its loader, which Eleventy
 * tells when a file changes), and keeps each compiled template by environment, file and text.
 * Not in Eleventy's cache, which would keep a template compiled with an earlier environment: the
 * dev server's next build has a new one, and the old one would still include an edited partial
 * as it was.
 */
export function compiledNunjucks(config: UserConfig): void {
  let nunjucks: { library: NunjucksLibrary; environment: object } | undefined;
  const compiled = new WeakMap<object, Map<string, NunjucksTemplate>>();
  config.on("eleventy.engine.njk", ({ nunjucks: library, environment }: { nunjucks: NunjucksLibrary; environment: object }) => {
    nunjucks = { library, environment };
  });
  config.addExtension("njk", {
    // `true`: permalink strings are templates too, rendered (and compiled once) like the rest.
    compileOptions: { cache: false, permalink: true },
    compile(source: string, inputPath: string) {
      if (nunjucks === undefined) throw new Error(`${inputPath}: Eleventy's Nunjucks environment is not ready`);
      const { library, environment } = nunjucks;
      let templates = compiled.get(environment);
      if (templates === undefined) compiled.set(environment, (templates = new Map()));
      const key = `${inputPath}\0${source}`;
      let template = templates.get(key);
      if (template === undefined) {
        // As Eleventy's engine does: a pseudo path (text rendered as `njk` or `md`) names no file.
        const path = inputPath === "" || inputPath === "njk" || inputPath === "md" ? undefined : inputPath;
        templates.set(key, (template = new library.Template(source, environment, path, true)));
      }
      const ready = template;
      return (data: object): Promise<string> =>
        new Promise((resolve, reject) => ready.render(data, (error, result) => (error === null ? resolve(result ?? "") : reject(error))));
    },
  });
}
