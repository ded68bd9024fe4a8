// The benchmarks' marks: a mark carries what was on screen when it was made, and whoever
// waits for a mark is told once it was made (at once if it already was).
import { describe, expect, it, vi } from "vitest";
import { mark, marked } from "./marks";

describe("performance marks", () => {
  it("print their time and what was on screen", () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    mark("figures-shown", "count=1000");
    mark("bare");
    expect(info.mock.calls[0]?.[0]).toMatch(/^econfiance-mark figures-shown \d+ count=1000$/);
    expect(info.mock.calls[1]?.[0]).toMatch(/^econfiance-mark bare \d+$/);
    info.mockRestore();
  });

  it("tell those waiting for them, before and after they were made", async () => {
    vi.spyOn(console, "info").mockImplementation(() => {});
    let told = false;
    const waiting = marked("later").then(() => (told = true));
    await Promise.resolve();
    expect(told).toBe(false);
    mark("later");
    await waiting;
    expect(told).toBe(true);
    await expect(marked("later")).resolves.toBeUndefined();
  });
});
