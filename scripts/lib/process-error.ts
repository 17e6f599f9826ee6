// An error sent from a child process to the build as data, so the build reports it once, with its causes and file-system codes.

/** One error of a chain, outermost first: what crosses the process boundary. */
export interface ErrorLink {
  readonly message: string;
  readonly code?: string;
  readonly path?: string;
}

/** What an error was caused by: its `cause`, or the `originalError` Eleventy's errors keep it in. */
function causeOf(error: Error): unknown {
  return error.cause ?? (error as Error & { originalError?: unknown }).originalError;
}

/** `error` and its causes as plain data. */
export function errorChain(error: unknown): ErrorLink[] {
  const chain: ErrorLink[] = [];
  let current: unknown = error;
  for (; current instanceof Error; current = causeOf(current)) {
    const { code, path } = current as NodeJS.ErrnoException;
    chain.push({ message: current.message, ...(typeof code === "string" ? { code } : {}), ...(typeof path === "string" ? { path } : {}) });
  }
  if (current !== undefined) chain.push({ message: String(current) });
  return chain;
}

/** The chain as errors again, each the cause of the one before, file-system codes and paths kept. */
export function errorFromChain(chain: readonly ErrorLink[]): Error | undefined {
  let cause: Error | undefined;
  for (const link of [...chain].reverse()) {
    const error: NodeJS.ErrnoException = new Error(link.message, cause === undefined ? undefined : { cause });
    if (link.code !== undefined) error.code = link.code;
    if (link.path !== undefined) error.path = link.path;
    cause = error;
  }
  return cause;
}
