// The parts of Eleventy's API this project uses; Eleventy 3 ships JavaScript without type declarations.
declare module "@11ty/eleventy" {
  export interface UserConfig {
    addPlugin(plugin: (config: UserConfig, options?: unknown) => void | Promise<void>, options?: unknown): void;
    addFilter(name: string, filter: (...args: any[]) => unknown): void;
    addShortcode(name: string, shortcode: (...args: any[]) => unknown): void;
    addGlobalData(name: string, data: unknown): void;
    addPassthroughCopy(copy: string | Record<string, string>): void;
    addExtension(extension: string, options: {
      compileOptions?: { cache?: boolean; permalink?: boolean | "raw" };
      compile(source: string, inputPath: string): (data: object) => Promise<string>;
    }): void;
    addWatchTarget(target: string): void;
    setLibrary(name: string, library: unknown): void;
    setServerOptions(options: Record<string, unknown>): void;
    setWatchThrottleWaitTime(ms: number): void;
    /** Options for chokidar, Eleventy's file watcher, over Eleventy's own (such as `awaitWriteFinish`). */
    setChokidarConfig(options: Record<string, unknown>): void;
    setQuietMode(quiet: boolean): void;
    setDataDeepMerge(deep: boolean): void;
    on(event: string, callback: (...args: any[]) => unknown): void;
    ignores: { add(glob: string): void };
    watchIgnores: { add(glob: string): void };
    pathPrefix?: string;
    [key: string]: unknown;
  }

  export default class Eleventy {
    constructor(input?: string, output?: string, options?: Record<string, unknown>, config?: unknown);
    write(): Promise<unknown>;
    watch(): Promise<unknown>;
    serve(port?: number): Promise<unknown>;
    init(): Promise<void>;
    setIncrementalBuild(incremental: boolean): void;
    setIsVerbose(verbose: boolean): void;
    close(): Promise<void>;
  }
}

declare module "@11ty/eleventy-plugin-rss" {
  import type { UserConfig } from "@11ty/eleventy";
  const rssPlugin: (config: UserConfig, options?: unknown) => void;
  export default rssPlugin;
  export function dateToRfc3339(date: Date): string;
  export function absoluteUrl(url: string, base: string): string;
  export function convertHtmlToAbsoluteUrls(html: string, base: string, options?: unknown): Promise<string>;
}
