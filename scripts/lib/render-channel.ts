// The one channel between a build and its render process (scripts/render-site.ts): Node's IPC, typed on both ends.
import type { ErrorLink } from "./process-error.ts";

/** What the render process compares with and where it writes. */
export interface RenderRequest {
  /** Manifest of the site being updated: render only the pages that changed since (see render-plan.ts). None: render every page. */
  readonly since?: string;
  /** Where to write this build's manifest and changes. None: write none. */
  readonly manifestOut?: string;
}

/** The build to its render process. */
export type ToRender =
  /** The first message. `waitForImport`: read what does not depend on the import meanwhile, then wait for `go` (a build that gives up ends the process). */
  | { readonly kind: "start"; readonly request: RenderRequest; readonly waitForImport: boolean }
  /** The import is done, having written or deleted these content files (relative to the content directory). */
  | { readonly kind: "go"; readonly contentChanged: readonly string[] };

/** The render process to its build. */
export type FromRender =
  /** A run of a batched whole render ended: every comment page is written but those of these months (first, last; `yyyy-mm`). */
  | { readonly kind: "pagesWritten"; readonly pending: readonly [string, string] }
  /** The pages and the build's changes are written; the manifest and the render cache are being saved. */
  | { readonly kind: "changesWritten" }
  | { readonly kind: "done"; readonly written: number }
  | { readonly kind: "failed"; readonly chain: readonly ErrorLink[] };

const TO_RENDER = new Set(["start", "go"]);
const FROM_RENDER = new Set(["pagesWritten", "changesWritten", "done", "failed"]);

const kindOf = (message: unknown): unknown => (typeof message === "object" && message !== null ? (message as { kind?: unknown }).kind : undefined);

export function isToRender(message: unknown): message is ToRender {
  return TO_RENDER.has(kindOf(message) as string);
}

export function isFromRender(message: unknown): message is FromRender {
  return FROM_RENDER.has(kindOf(message) as string);
}

/** Sends `message` to the build that started this process; a no-op in a process no build started (the dev server renders in its own). */
export function tellBuild(message: FromRender): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined || !process.connected) return Promise.resolve();
  return new Promise((resolve, reject) => send(message, (error: Error | null) => (error === null ? resolve() : reject(error))));
}
