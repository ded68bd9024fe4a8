// @vitest-environment happy-dom
// The start with a session kept from last time: last time's figures are painted at once,
// and stay on screen once the session is confirmed, until fresh ones come — even while the
// account's details are still on their way (the dashboard never goes blank meanwhile). A
// session the server ended goes back to the login, saying why in the server's words when
// it gave them (removed from the team), else in the general ones.
import { cleanup, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixtureBackend } from "./bench/fixtureBackend";
import { aSession, deferred, errorBody, fakeBackend } from "./test/fakeBackend";
import type { ErrorBody, SessionView } from "./lib/bindings";
import { translator } from "./lib/i18n";
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
          summary: await fixtures.dashboardSummary(null, null, null),
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

describe("App when the server ends the session", () => {
  function startWith(failure: ErrorBody) {
    const fixtures = fixtureBackend(10);
    const backend = fakeBackend({
      takePendingLinks: () => Promise.resolve([]),
      appInfo: () => fixtures.appInfo(),
      lastKnownDashboard: () => Promise.resolve(null),
      currentSession: () => Promise.resolve(aSession()),
      me: () => Promise.reject(failure),
    });
    render(App, { backend });
  }

  it("says the server's own words for a member removed from the team", async () => {
    const removed =
      "Vous ne faites plus partie de l'équipe de Boulangerie Dupont : demandez à son propriétaire de vous inviter de nouveau.";
    startWith(errorBody(removed, "removed_from_team"));
    expect(await screen.findByTestId("login-warning")).toHaveTextContent(removed);
  });

  it("says why at start when the member was removed while the app was closed", async () => {
    const removed =
      "Vous ne faites plus partie de l'équipe de Boulangerie Dupont : demandez à son propriétaire de vous inviter de nouveau.";
    const fixtures = fixtureBackend(10);
    render(App, {
      backend: fakeBackend({
        takePendingLinks: () => Promise.resolve([]),
        appInfo: () => fixtures.appInfo(),
        lastKnownDashboard: () => Promise.resolve(null),
        currentSession: () => Promise.reject(errorBody(removed, "removed_from_team")),
      }),
    });
    expect(await screen.findByTestId("login-warning")).toHaveTextContent(removed);
  });

  it("says the app's words for any other end of the session", async () => {
    for (const [message, code] of [
      ["Votre session a pris fin. Reconnectez-vous.", "session_ended"],
      ["Aucune session sur cet ordinateur.", "not_logged_in"],
    ] as const) {
      cleanup();
      startWith(errorBody(message, code));
      expect(await screen.findByTestId("login-warning")).toHaveTextContent(
        translator("fr")("sessionEnded"),
      );
    }
  });
});
