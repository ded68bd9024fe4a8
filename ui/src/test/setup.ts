// Set up before every test file: the DOM matchers (toBeDisabled, toHaveTextContent…)
// of @testing-library/jest-dom on Vitest's expect, and a stand-in for the chart library:
// uPlot draws on a canvas, which the test DOM does not have (its drawing, queued after a
// test ends, would fail the whole run with a null canvas context).
import "@testing-library/jest-dom/vitest";
import { vi } from "vitest";

vi.mock("uplot", () => ({
  default: class {
    destroy() {}
  },
}));
