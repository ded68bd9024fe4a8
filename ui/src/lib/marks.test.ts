// The benchmarks' marks: a mark carries what was on screen when it was made.
import { describe, expect, it, vi } from "vitest";
import { mark } from "./marks";

describe("performance marks", () => {
  it("print their time and what was on screen", () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    mark("figures-shown", "count=1000");
    mark("bare");
    expect(info.mock.calls[0]?.[0]).toMatch(/^econfiance-mark figures-shown \d+ count=1000$/);
    expect(info.mock.calls[1]?.[0]).toMatch(/^econfiance-mark bare \d+$/);
    info.mockRestore();
  });
});
