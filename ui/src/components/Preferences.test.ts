// @vitest-environment happy-dom
// The e-mail alerts beside the app's notifications: each change saved at once, a refusal
// said where it happened.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { translator } from "../lib/i18n";
import { errorBody, fakeBackend } from "../test/fakeBackend";
import Preferences from "./Preferences.svelte";

const t = translator("fr");

describe("Preferences › e-mail alerts", () => {
  it("saves the alert rating and the digest, and says when the platform refuses", async () => {
    const backend = fakeBackend();
    backend.preferences.mockResolvedValue({
      notifications: "all",
      tray: false,
      autostart: false,
      theme: "system",
    });
    backend.emailAlerts.mockResolvedValue({ max_rating: null, weekly_digest: false });
    render(Preferences, { props: { backend, t } });
    const level = await screen.findByTestId("alert-level");
    expect(level).toHaveValue("");

    backend.setEmailAlerts.mockResolvedValueOnce({ max_rating: 2, weekly_digest: false });
    await fireEvent.change(level, { target: { value: "2" } });
    expect(backend.setEmailAlerts).toHaveBeenLastCalledWith({
      max_rating: 2,
      weekly_digest: false,
    });

    backend.setEmailAlerts.mockResolvedValueOnce({ max_rating: 2, weekly_digest: true });
    await fireEvent.click(screen.getByTestId("alert-digest"));
    await vi.waitFor(() =>
      expect(backend.setEmailAlerts).toHaveBeenLastCalledWith({
        max_rating: 2,
        weekly_digest: true,
      }),
    );

    backend.setEmailAlerts.mockRejectedValueOnce(errorBody("La plateforme ne répond pas."));
    await fireEvent.change(level, { target: { value: "" } });
    expect(await screen.findByTestId("alerts-error")).toHaveTextContent("ne répond pas");
  });
});
