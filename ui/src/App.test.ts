// @vitest-environment happy-dom
// The start with a session kept from last time: last time's figures are painted at once,
// and stay on screen once the session is confirmed, until fresh ones come — even while the
// account's details are still on their way (the dashboard never goes blank meanwhile).
import { render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixtureBackend } from "./bench/fixtureBackend";
import { aSession, deferred, fakeBackend } from "./test/fakeBackend";
import type { SessionView } from "./lib/bindings";
import App from "./App.svelte";

describe("App at start", () => {
  it("keeps last time's figures on screen once the same session is confirmed", async () => {
    const fixtures = fixtureBackend(1200);
    const session = aSession();
    const confirmed = deferred<SessionView | null>();
    const backend = fakeBackend({
      takePendingLinks: () => Promise.resolve([]),
      appInfo: () => fixtures.appInfo(),
      lastKnownDashboard: async () => ({
        session,
        snapshot: {
          summary: await fixtures.dashboardSummary(null, null),
          trust: null,
          company_name: "Boulangerie Dupont",
        },
      }),
      currentSession: () => confirmed.promise,
      // `me` and the fresh figures never come in this test.
    });
    render(App, { backend });
    expect((await screen.findByTestId("kpi-count")).textContent).toMatch(/1\s?200/);

    confirmed.resolve(session);
    await waitFor(() => expect(backend.currentSession).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId("kpi-count").textContent).toMatch(/1\s?200/);
    expect(screen.getByTestId("company-name").textContent).toContain("Boulangerie Dupont");
  });
});
