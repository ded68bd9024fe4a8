// @vitest-environment happy-dom
// Settings › Établissements as the account in force sees it: a person who sees only some of
// the company's establishments is offered no way to add one; one who sees them all is.
import { render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Me } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { aMe, fakeBackend } from "../test/fakeBackend";
import Settings from "./Settings.svelte";

const t = translator("fr");

function renderSettings(me: Me) {
  const backend = fakeBackend();
  backend.establishments.mockResolvedValue([
    {
      id: "et_gare",
      name: "Gare",
      address: null,
      postal_code: null,
      city: null,
      closed: false,
      main: false,
      reviews: 3,
      average: 4,
      response_rate: 66.7,
    },
  ]);
  render(Settings, {
    props: {
      backend,
      t,
      language: "fr" as const,
      me,
      onsessionended: vi.fn(),
      onlanguage: vi.fn(),
    },
  });
  return backend;
}

describe("Settings' establishments", () => {
  it("offers a person limited to some establishments no way to add one", async () => {
    renderSettings(aMe("manager", { limited_establishments: true }));
    await screen.findByTestId("establishment-row");
    expect(screen.getByTestId("establishments-limited")).toHaveTextContent(
      t("establishmentsLimited"),
    );
    expect(screen.queryByTestId("establishment-add")).not.toBeInTheDocument();
  });

  it("offers a manager who sees every establishment to add one", async () => {
    renderSettings(aMe("manager"));
    await screen.findByTestId("establishment-row");
    expect(screen.getByTestId("establishment-add")).toBeInTheDocument();
    expect(screen.queryByTestId("establishments-limited")).not.toBeInTheDocument();
  });
});
