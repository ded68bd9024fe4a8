// @vitest-environment happy-dom
// The demo request: its fields are checked once left, a slot is chosen among the free
// ones, and the booking is sent with what was typed (the address shared with the login).
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { DemoSlots } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { errorBody, fakeBackend } from "../test/fakeBackend";
import Demo from "./Demo.svelte";

const t = translator("fr");

const slots: DemoSlots = {
  slot_minutes: 30,
  days: [
    {
      date: "2026-12-02",
      slots: [{ start: "2026-12-02T09:00:00Z", time_paris: "10:00" }],
    },
  ],
};

function renderDemo(email = "") {
  const backend = fakeBackend();
  backend.demoSlots.mockResolvedValue(slots);
  render(Demo, { props: { backend, t, language: "fr" as const, email, onback: vi.fn() } });
  return backend;
}

const field = (label: Parameters<typeof t>[0]) => screen.getByLabelText(t(label));

describe("Demo", () => {
  it("says which fields are missing, each under its own, and sends nothing", async () => {
    const backend = renderDemo();
    await fireEvent.click(screen.getByRole("button", { name: t("demoSubmit") }));
    expect(screen.getByTestId("demo-error")).toHaveTextContent(t("fieldsToFix"));
    for (const name of ["name", "company", "email", "phone"]) {
      expect(screen.getByTestId(`demo-${name}-error`)).toHaveTextContent(t("required"));
    }
    expect(field("demoName")).toHaveAttribute("aria-invalid", "true");
    expect(backend.requestDemo).not.toHaveBeenCalled();
  });

  it("checks a field once left, and clears its message once corrected", async () => {
    renderDemo();
    await fireEvent.input(field("demoPhone"), { target: { value: "12" } });
    await fireEvent.blur(field("demoPhone"));
    expect(screen.getByTestId("demo-phone-error")).toHaveTextContent(t("phoneInvalid"));
    await fireEvent.input(field("demoPhone"), { target: { value: "01 23 45 67 89" } });
    expect(screen.queryByTestId("demo-phone-error")).not.toBeInTheDocument();
    expect(screen.queryByTestId("demo-name-error")).not.toBeInTheDocument();
  });

  it("books the chosen slot with what was typed, then confirms", async () => {
    const backend = renderDemo("marie@boulangerie-dupont.fr");
    backend.requestDemo.mockResolvedValue({
      id: "d-1",
      slot_start: "2026-12-02T09:00:00Z",
      slot_end: "2026-12-02T09:30:00Z",
    });
    expect(field("demoEmail")).toHaveValue("marie@boulangerie-dupont.fr");
    await fireEvent.input(field("demoName"), { target: { value: " Marie Dupont " } });
    await fireEvent.input(field("demoCompany"), { target: { value: "Boulangerie Dupont" } });
    await fireEvent.input(field("demoPhone"), { target: { value: "01 23 45 67 89" } });
    await fireEvent.click(await screen.findByRole("button", { name: "10:00" }));
    await fireEvent.click(screen.getByRole("button", { name: t("demoSubmit") }));

    expect(backend.requestDemo).toHaveBeenCalledWith({
      name: "Marie Dupont",
      company: "Boulangerie Dupont",
      email: "marie@boulangerie-dupont.fr",
      phone: "01 23 45 67 89",
      slot_start: "2026-12-02T09:00:00Z",
      message: null,
      locale: "fr",
    });
    expect(await screen.findByRole("heading", { name: t("demoBookedTitle") })).toBeInTheDocument();
  });

  it("says why the free slots could not be read", async () => {
    const backend = fakeBackend();
    backend.demoSlots.mockRejectedValue(errorBody("Agenda indisponible."));
    render(Demo, { props: { backend, t, language: "fr" as const, onback: vi.fn() } });
    expect(await screen.findByRole("alert")).toHaveTextContent("Agenda indisponible.");
  });
});
