// What the benchmark mode does by itself once the dashboard is painted, so that no driver
// (WebDriver, DevTools) weighs on either engine: with `&scroll=1`, it waits `idle` ms (the
// benchmark measures memory at rest meanwhile), opens the inbox and scrolls it to the end,
// page by page as a user would, until every review was loaded and shown; then marks
// "scrolled-all".
import { mark } from "../lib/marks";

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function painted(name: string): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(name, "mark").length > 0) return resolve();
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(name).length > 0) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe({ entryTypes: ["mark"] });
  });
}

export async function runBenchmark(params: URLSearchParams, allServed: () => boolean) {
  if (!params.has("scroll")) return;
  await painted("dashboard-fresh");
  await sleep(Number(params.get("idle") ?? 5000));
  mark("scroll-start");
  document.querySelector<HTMLElement>('[data-testid="nav-reviews"]')?.click();
  let list: HTMLElement | null = null;
  while (!list) {
    await nextFrame();
    list = document.querySelector<HTMLElement>(".vlist");
  }
  let atEnd = 0;
  while (atEnd < 3) {
    list.scrollTop = list.scrollHeight;
    await nextFrame();
    const bottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 2;
    atEnd = allServed() && bottom ? atEnd + 1 : 0;
  }
  mark("scrolled-all");
}
