// Set up before every test file: the DOM matchers (toBeDisabled, toHaveTextContent…)
// of @testing-library/jest-dom on Vitest's expect.
import "@testing-library/jest-dom/vitest";
