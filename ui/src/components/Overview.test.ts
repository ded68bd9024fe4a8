// @vitest-environment happy-dom
// The dashboard's figures at start: last time's, handed over already read, are shown at
// once without asking for them; fresh ones are asked for only once the session is known
// to be alive, and then replace them.
import { render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixtureBackend } from "../bench/fixtureBackend";
import type { Summary } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { fakeBackend } from "../test/fakeBackend";
import Overview from "./Overview.svelte";

const t = translator("fr");

async function figures(count: number): Promise<Summary> {
  return fixtureBackend(count).dashboardSummary(null, null);
}

describe("Overview", () => {
  it("shows last time's figures at once and asks for fresh ones only when ready", async () => {
    const backend = fakeBackend();
    const initial = { summary: await figures(1200), trust: null, company_name: "Boulangerie" };
    const props = {
      backend,
      t,
      language: "fr" as const,
      onsessionended: () => {},
      initial,
      ready: false,
    };
    const view = render(Overview, props);
    expect((await screen.findByTestId("kpi-count")).textContent).toMatch(/1\s?200/);
    expect(screen.getByTestId("stale")).toBeTruthy();
    expect(backend.dashboardSnapshot).not.toHaveBeenCalled();
    expect(backend.dashboardSummary).not.toHaveBeenCalled();

    backend.dashboardSummary.mockResolvedValue(await figures(1300));
    backend.trustIndex.mockResolvedValue(await fixtureBackend(1).trustIndex());
    await view.rerender({ ...props, ready: true });
    await waitFor(() => expect(screen.getByTestId("kpi-count").textContent).toMatch(/1\s?300/));
    expect(backend.dashboardSummary).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("stale")).toBeNull();
  });
});
