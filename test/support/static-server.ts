// Serves a built site from disk on a loopback port, as a static host would (index.html, 404.html, a path prefix).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".pf_meta": "application/octet-stream",
};

export interface StaticSite {
  /** e.g. `http://127.0.0.1:41234/prefix/` */
  url: string;
  close(): Promise<void>;
}

async function fileFor(root: string, urlPath: string): Promise<string | undefined> {
  const resolved = path.join(root, decodeURIComponent(urlPath));
  if (!resolved.startsWith(root)) return undefined;
  for (const candidate of [resolved, path.join(resolved, "index.html")]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

export async function serveStatic(root: string, pathPrefix = "/"): Promise<StaticSite> {
  const absoluteRoot = path.resolve(root);
  const server: Server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    const file = pathname.startsWith(pathPrefix) ? await fileFor(absoluteRoot, `/${pathname.slice(pathPrefix.length)}`) : undefined;
    if (file !== undefined && !pathname.endsWith("/") && file.endsWith("index.html") && !pathname.endsWith(".html")) {
      response.writeHead(301, { location: `${pathname}/` }).end();
      return;
    }
    const served = file ?? path.join(absoluteRoot, "404.html");
    const status = file === undefined ? 404 : 200;
    const info = await stat(served).catch(() => undefined);
    if (info === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(status, { "content-type": TYPES[path.extname(served)] ?? "application/octet-stream", "content-length": info.size });
    createReadStream(served).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${pathPrefix}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
