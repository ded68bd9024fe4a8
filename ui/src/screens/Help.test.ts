// @vitest-environment happy-dom
// The help screen, step by step: the platform's status, the connection check, the way to
// a new password, clearing the cache; each says when it waits, what it found, or why not.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CacheCleared, ConnectionReport, PlatformStatus } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { takeCacheCleared } from "../lib/notices";
import { deferred, errorBody, fakeBackend, type FakeBackend } from "../test/fakeBackend";
import Help from "./Help.svelte";

const t = translator("fr");

function renderHelp(backend: FakeBackend = fakeBackend(), loggedIn = false) {
  const props = {
    backend,
    t,
    language: "fr" as const,
    loggedIn,
    onforgot: vi.fn(),
    onback: loggedIn ? undefined : vi.fn(),
  };
  render(Help, { props });
  return { backend, props };
}

const status = (more: Partial<PlatformStatus> = {}): PlatformStatus => ({
  state: "operational",
  message_fr: null,
  message_en: null,
  updated_at: "2026-11-30T08:00:00Z",
  ...more,
});

const platformStatus = () => screen.getByTestId("platform-status");
const runCheck = () => screen.getByTestId("run-check");

afterEach(() => {
  vi.useRealTimers();
});

describe("Help", () => {
  it("lays out its four steps, and leads back to the login when logged out", async () => {
    const { props } = renderHelp();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Problème de connexion ?");
    for (const step of ["helpStep1", "helpStep2", "helpStep3", "helpStep4"] as const) {
      expect(screen.getByRole("heading", { name: t(step) })).toBeInTheDocument();
    }
    await fireEvent.click(screen.getByRole("button", { name: t("forgotPassword") }));
    expect(props.onforgot).toHaveBeenCalledOnce();
    await fireEvent.click(screen.getByRole("button", { name: t("backToLogin") }));
    expect(props.onback).toHaveBeenCalledOnce();
  });

  it("has no way back to the login when logged in", () => {
    renderHelp(fakeBackend(), true);
    expect(screen.queryByRole("button", { name: t("backToLogin") })).not.toBeInTheDocument();
  });

  it("checks the platform's status, then says all is well", async () => {
    const backend = fakeBackend();
    const answer = deferred<PlatformStatus>();
    backend.platformStatus.mockReturnValue(answer.promise);
    renderHelp(backend);

    expect(platformStatus()).toHaveTextContent(t("statusChecking"));
    answer.resolve(status());
    await vi.waitFor(() => expect(platformStatus()).toHaveTextContent(t("statusOperational")));
  });

  it("tells a disruption with the incident in the user's language", async () => {
    const backend = fakeBackend();
    backend.platformStatus.mockResolvedValue(
      status({
        state: "degraded",
        message_fr: "Envoi des e-mails retardé.",
        message_en: "E-mails delayed.",
      }),
    );
    renderHelp(backend);

    await vi.waitFor(() => expect(platformStatus()).toHaveTextContent(t("statusDegraded")));
    expect(platformStatus()).toHaveTextContent("Envoi des e-mails retardé.");
    expect(platformStatus()).not.toHaveTextContent("E-mails delayed.");
  });

  it("says why the status could not be read, and tries again on demand", async () => {
    const backend = fakeBackend();
    backend.platformStatus
      .mockRejectedValueOnce(errorBody("Le serveur ne répond pas.", "network_unreachable"))
      .mockResolvedValueOnce(status());
    renderHelp(backend);

    await vi.waitFor(() => expect(platformStatus()).toHaveTextContent("Le serveur ne répond pas."));
    await fireEvent.click(within(platformStatus()).getByRole("button", { name: t("statusRetry") }));
    await vi.waitFor(() => expect(platformStatus()).toHaveTextContent(t("statusOperational")));
    expect(backend.platformStatus).toHaveBeenCalledTimes(2);
  });

  it("runs the connection check with the button waiting, then lists what it found", async () => {
    const backend = fakeBackend();
    const answer = deferred<ConnectionReport>();
    backend.connectionCheck.mockReturnValue(answer.promise);
    backend.repairScheme.mockResolvedValue({ lines: [] });
    renderHelp(backend);

    await fireEvent.click(runCheck());
    expect(runCheck()).toBeDisabled();
    expect(runCheck()).toHaveTextContent(t("checking"));

    answer.resolve({
      lines: [
        {
          id: "server",
          status: "passed",
          message: "Le serveur répond.",
          advice: null,
          repairable: false,
        },
        {
          id: "scheme",
          status: "failed",
          message: "Les liens econfiance:// n'ouvrent pas l'application.",
          advice: "Réparez l'association.",
          repairable: true,
        },
      ],
    });
    await vi.waitFor(() => expect(runCheck()).toBeEnabled());
    expect(runCheck()).toHaveTextContent(t("runCheck"));
    const lines = within(screen.getByTestId("connection-check")).getAllByRole("listitem");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent(`${t("checkPassed")} Le serveur répond.`);
    expect(lines[1]).toHaveTextContent(t("checkFailed"));
    expect(lines[1]).toHaveTextContent("Réparez l'association.");

    await fireEvent.click(within(lines[1]!).getByRole("button", { name: t("repair") }));
    expect(backend.repairScheme).toHaveBeenCalledOnce();
    await vi.waitFor(() =>
      expect(within(screen.getByTestId("connection-check")).queryAllByRole("listitem")).toEqual([]),
    );
  });

  it("says why the connection check failed", async () => {
    const backend = fakeBackend();
    backend.connectionCheck.mockRejectedValue(errorBody("Vérification impossible."));
    renderHelp(backend);

    await fireEvent.click(runCheck());
    const box = screen.getByTestId("connection-check");
    expect(await within(box).findByRole("alert")).toHaveTextContent("Vérification impossible.");
    expect(runCheck()).toBeEnabled();
  });

  it("clears the cache, says what was freed, then reloads", async () => {
    vi.useFakeTimers();
    const backend = fakeBackend();
    const answer = deferred<CacheCleared>();
    backend.clearCache.mockReturnValue(answer.promise);
    renderHelp(backend);

    await fireEvent.click(screen.getByRole("checkbox", { name: t("clearSignOut") }));
    await fireEvent.click(screen.getByRole("button", { name: t("clearCache") }));
    expect(backend.clearCache).toHaveBeenCalledWith(true);
    expect(screen.getByTestId("clear-cache")).toBeDisabled();
    expect(screen.getByTestId("clear-cache")).toHaveTextContent(t("clearing"));

    answer.resolve({ freed_bytes: 12_000_000, freed: "12 Mo", signed_out: true });
    await vi.advanceTimersByTimeAsync(0);
    const done = screen.getByTestId("cache-cleared");
    expect(done).toHaveRole("status");
    expect(done).toHaveTextContent(
      `${t("cacheCleared")} 12 Mo ${t("cacheFreed")} ${t("cacheSignedOut")} ${t("cacheReloading")}`,
    );
    // Said again after the reload.
    expect(takeCacheCleared()).toContain("12 Mo");
    expect(backend.reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1500);
    expect(backend.reload).toHaveBeenCalledOnce();
  });

  it("says why the cache could not be cleared, and lets the user retry", async () => {
    const backend = fakeBackend();
    backend.clearCache.mockRejectedValue(errorBody("Dossier du cache en lecture seule."));
    renderHelp(backend);

    await fireEvent.click(screen.getByRole("button", { name: t("clearCache") }));
    expect(await screen.findByTestId("cache-error")).toHaveTextContent(
      "Dossier du cache en lecture seule.",
    );
    expect(screen.getByTestId("cache-error")).toHaveRole("alert");
    expect(screen.getByRole("button", { name: t("clearCache") })).toBeEnabled();
    expect(backend.reload).not.toHaveBeenCalled();
  });
});
