// Launches Debian's Chromium through playwright-core; no test tool ever downloads a browser.
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * Launches the browser while `preparing` (a built site, say) is made. If either fails, the other is
 * closed (`close`) before the failure is thrown: a browser or server left open would keep the test run from ending.
 */
export async function launchBrowserBeside<T>(preparing: Promise<T>, close: (prepared: T) => Promise<void>): Promise<[Browser, T]> {
  const [launched, prepared] = await Promise.allSettled([launchBrowser(), preparing]);
  if (launched.status === "fulfilled" && prepared.status === "fulfilled") return [launched.value, prepared.value];
  if (launched.status === "fulfilled") await launched.value.close();
  if (prepared.status === "fulfilled") await close(prepared.value);
  throw launched.status === "rejected" ? launched.reason : (prepared as PromiseRejectedResult).reason;
}
