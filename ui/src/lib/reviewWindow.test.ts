// The inbox holds only the pages near the rows on screen: scrolling down lets the far pages
// go (their rows stay, as placeholders), scrolling back asks a page again with the cursor it
// was first asked with, a failure is told and not asked again at once, and a new query's
// window tells nothing once dropped.
import { describe, expect, it, vi } from "vitest";
import type { Review, ReviewPage } from "./bindings";
import { KEEP_AROUND, PAGE_SIZE, ReviewWindow, type PageFetch } from "./reviewWindow";
import { aReview } from "../test/fakeBackend";

const TOTAL = 2_000;

/**
 * A server of TOTAL reviews, paged as the real one is: a cursor names the last review of
 * the page before (`gone` reviews are no longer there, as after a reply under a filter).
 */
function server() {
  const asked: (string | null)[] = [];
  const gone = new Set<number>();
  const fetch = vi.fn<PageFetch>((cursor) => {
    asked.push(cursor);
    let i = cursor === null ? 0 : Number(cursor) + 1;
    const items: Review[] = [];
    for (; i < TOTAL && items.length < PAGE_SIZE; i++) {
      if (!gone.has(i)) items.push(aReview({ id: `rv_${i}`, title: `Avis ${i}` }));
    }
    const last = items[items.length - 1]?.id.slice(3);
    const more = [...Array(TOTAL - i).keys()].some((k) => !gone.has(i + k));
    const page: ReviewPage = {
      items,
      total: TOTAL - gone.size,
      next_cursor: more && last !== undefined ? last : null,
    };
    return Promise.resolve(page);
  });
  return { fetch, asked, gone };
}

function held(rows: readonly (Review | null)[]): number {
  return rows.filter((r) => r !== null).length;
}

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("the inbox's window of reviews", () => {
  it("keeps every row but holds only the pages near the screen while scrolling down", async () => {
    const { fetch } = server();
    const changed = vi.fn();
    const list = new ReviewWindow(fetch, changed, vi.fn());
    await list.start();
    while (list.hasMore) {
      const last = list.rows.length - 1;
      list.show(last - 10, last);
      await list.more();
    }
    list.show(TOTAL - 10, TOTAL - 1);
    expect(list.rows).toHaveLength(TOTAL);
    expect(list.total).toBe(TOTAL);
    // The last page and the KEEP_AROUND before it; the rest let go.
    expect(list.pagesHeld).toBe(KEEP_AROUND + 1);
    expect(held(list.rows)).toBe((KEEP_AROUND + 1) * PAGE_SIZE);
    expect(list.rows[0]).toBeNull();
    expect(list.rows[TOTAL - 1]?.title).toBe(`Avis ${TOTAL - 1}`);
    expect(changed).toHaveBeenLastCalledWith(list.rows);
  });

  it("asks a page let go again, with its own cursor, when it comes back near", async () => {
    const { fetch, asked } = server();
    const list = new ReviewWindow(fetch, vi.fn(), vi.fn());
    await list.start();
    while (list.hasMore) {
      list.show(list.rows.length - 10, list.rows.length - 1);
      await list.more();
    }
    expect(list.rows[550]).toBeNull();
    asked.length = 0;
    list.show(550, 560);
    await settle();
    // Pages 2 to 8 are near row 550 (page 5); each is asked once, with its cursor (the
    // last review of the page before), even when shown again before the answers came.
    list.show(551, 561);
    await settle();
    expect(asked.sort()).toEqual(["199", "299", "399", "499", "599", "699", "799"]);
    expect(list.rows[550]?.title).toBe("Avis 550");
    expect(list.rows[0]).toBeNull();
    expect(list.rows[TOTAL - 1]).toBeNull();
    expect(list.pagesHeld).toBe(2 * KEEP_AROUND + 1);
  });

  it("asks for the list afresh when a page asked again no longer ends where it did", async () => {
    const { fetch, gone } = server();
    const moved = vi.fn();
    const changed = vi.fn();
    const list = new ReviewWindow(fetch, changed, vi.fn(), moved);
    await list.start();
    while (list.hasMore) {
      list.show(list.rows.length - 10, list.rows.length - 1);
      await list.more();
    }
    gone.add(10);
    list.show(0, 10);
    changed.mockClear();
    await settle();
    // Page 0 would now hold review 100, which page 1 holds too: not filled in.
    expect(moved).toHaveBeenCalledTimes(1);
    expect(changed).not.toHaveBeenCalled();
    expect(list.rows[0]).toBeNull();
  });

  it("tells a page that could not be had again, and does not ask it again at once", async () => {
    const { fetch } = server();
    const failed = vi.fn();
    const list = new ReviewWindow(fetch, vi.fn(), failed);
    await list.start();
    while (list.hasMore) {
      list.show(list.rows.length - 10, list.rows.length - 1);
      await list.more();
    }
    const offline = new Error("hors ligne");
    fetch.mockImplementation(() => Promise.reject(offline));
    list.show(0, 10);
    await settle();
    expect(failed).toHaveBeenCalledWith(offline);
    const calls = fetch.mock.calls.length;
    list.show(1, 11);
    await settle();
    expect(fetch.mock.calls.length).toBe(calls);
    expect(list.rows[0]).toBeNull();
  });

  it("shows a changed review in its row, and tells nothing once dropped", async () => {
    const { fetch } = server();
    const changed = vi.fn();
    const list = new ReviewWindow(fetch, changed, vi.fn());
    await list.start();
    const answered = { ...(list.rows[3] as Review), title: "Répondu" };
    list.replace(answered);
    expect(list.rows[3]?.title).toBe("Répondu");
    while (list.hasMore) {
      list.show(list.rows.length - 10, list.rows.length - 1);
      await list.more();
    }
    // Dropped while a page is being asked again: its answer changes nothing.
    const calls = fetch.mock.calls.length;
    list.show(0, 10);
    expect(fetch.mock.calls.length).toBeGreaterThan(calls);
    changed.mockClear();
    list.drop();
    await settle();
    expect(changed).not.toHaveBeenCalled();
    expect(list.rows[0]).toBeNull();
  });
});
