import { describe, expect, it } from "vitest";
import { fixtureBackend, fixtureReview } from "./fixtureBackend";

const query = {
  stars: null,
  status: null,
  answered: null,
  from: null,
  to: null,
  q: null,
  cursor: null,
  limit: 100,
};

describe("the benchmark mode's fixture backend", () => {
  it("serves every review once, page by page, and knows when all were served", async () => {
    const backend = fixtureBackend(250);
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      expect(backend.allServed()).toBe(false);
      const page = await backend.listReviews({ ...query, cursor });
      expect(page.total).toBe(250);
      for (const r of page.items) ids.add(r.id);
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(ids.size).toBe(250);
    expect(backend.allServed()).toBe(true);
  });

  it("generates the same reviews every time, with valid ratings", () => {
    expect(fixtureReview(42)).toEqual(fixtureReview(42));
    for (let i = 0; i < 500; i++) {
      const r = fixtureReview(i);
      expect(r.rating).toBeGreaterThanOrEqual(1);
      expect(r.rating).toBeLessThanOrEqual(5);
    }
  });

  it("answers the dashboard and refuses what the benchmark does not need", async () => {
    const backend = fixtureBackend(1000);
    const summary = await backend.dashboardSummary(null, null, null);
    expect(summary.count).toBe(1000);
    expect(summary.distribution.reduce((a, b) => a + b, 0)).toBeGreaterThan(900);
    expect((await backend.me()).onboarding_required).toBe(false);
    await expect(backend.logout()).rejects.toMatchObject({ code: "benchmark_mode" });
    await expect(backend.getReview("rv_00000a")).resolves.toMatchObject({ id: "rv_00000a" });
  });
});
