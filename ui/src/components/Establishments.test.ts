// @vitest-environment happy-dom
// Settings › Établissements: every role sees the establishments with their figures; whoever
// may change the company's details adds one (a refused form keeps what was typed and says
// which field is wrong), and closes or reopens one; a reader gets no form and no button.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Establishment } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, fakeBackend } from "../test/fakeBackend";
import Establishments from "./Establishments.svelte";

const t = translator("fr");

const places = (): Establishment[] => [
  {
    id: "et_co",
    name: "Boulangerie Dupont",
    address: "1 rue de la Paix",
    postal_code: "75002",
    city: "Paris",
    closed: false,
    main: true,
    reviews: 320,
    average: 4.2,
    response_rate: 87.5,
  },
  {
    id: "et_gare",
    name: "Boulangerie Dupont — Gare",
    address: null,
    postal_code: null,
    city: "Paris",
    closed: false,
    main: false,
    reviews: 12,
    average: 3.5,
    response_rate: null,
  },
];

function renderList(role: "owner" | "manager" | "reader" = "owner", limited = false) {
  const backend = fakeBackend();
  backend.establishments.mockResolvedValue(places());
  const onchanged = vi.fn();
  render(Establishments, {
    backend,
    t,
    language: "fr" as const,
    onsessionended: vi.fn(),
    can: abilitiesOf(role),
    limited,
    onchanged,
  });
  return { backend, onchanged };
}

describe("Establishments", () => {
  it("lists each establishment with its figures, for every role", async () => {
    const { onchanged } = renderList("reader");
    const rows = await screen.findAllByTestId("establishment-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("principal");
    expect(rows[0]).toHaveTextContent("320 avis publiés");
    expect(rows[0]).toHaveTextContent("4,2/5");
    expect(within(rows[0]!).getByTestId("establishment-response-rate").textContent).toBe(
      "taux de réponse : 87,5\u202f%",
    );
    expect(rows[1]).toHaveTextContent("3,5/5");
    expect(within(rows[1]!).queryByTestId("establishment-response-rate")).toBeNull();
    expect(onchanged).toHaveBeenCalledWith(places());
    expect(screen.getByTestId("establishments-read-only")).toBeInTheDocument();
    expect(screen.queryByTestId("establishment-add")).not.toBeInTheDocument();
    expect(screen.queryByTestId("establishment-close")).not.toBeInTheDocument();
  });

  it("adds one, and a refused form keeps what was typed and names the wrong field", async () => {
    const { backend } = renderList("owner");
    await screen.findAllByTestId("establishment-row");
    await fireEvent.input(screen.getByTestId("establishment-new-name"), {
      target: { value: "Kiosque du marché" },
    });
    await fireEvent.input(screen.getByTestId("establishment-new-postal-code"), {
      target: { value: "6900" },
    });
    backend.createEstablishment.mockRejectedValueOnce({
      code: "validation_failed",
      message: "Des champs sont à corriger.",
      fields: [
        {
          field: "postal_code",
          code: "invalid_postal_code",
          message_fr: "Ce code postal n'est pas un code postal français.",
          message_en: "Not a French postal code.",
        },
      ],
    });
    await fireEvent.click(screen.getByTestId("establishment-add"));
    expect(await screen.findByTestId("establishments-error")).toHaveTextContent(
      "n'est pas un code postal français",
    );
    expect(screen.getByTestId("establishment-new-name")).toHaveValue("Kiosque du marché");

    backend.createEstablishment.mockResolvedValueOnce({
      ...places()[1]!,
      id: "et_k",
      name: "Kiosque du marché",
    });
    await fireEvent.input(screen.getByTestId("establishment-new-postal-code"), {
      target: { value: "69002" },
    });
    await fireEvent.click(screen.getByTestId("establishment-add"));
    expect(await screen.findByTestId("establishments-notice")).toHaveTextContent(
      "Kiosque du marché",
    );
    expect(backend.createEstablishment).toHaveBeenLastCalledWith({
      name: "Kiosque du marché",
      address: null,
      postal_code: "69002",
      city: null,
      closed: false,
    });
    expect(screen.getByTestId("establishment-new-name")).toHaveValue("");
  });

  it("offers a person who sees only some establishments no way to add one", async () => {
    renderList("manager", true);
    const rows = await screen.findAllByTestId("establishment-row");
    expect(rows).toHaveLength(2);
    expect(screen.getByTestId("establishments-limited")).toHaveTextContent(
      t("establishmentsLimited"),
    );
    expect(screen.queryByTestId("establishment-add")).not.toBeInTheDocument();
    expect(screen.queryByTestId("establishment-new-name")).not.toBeInTheDocument();
    // What they see, they still change.
    expect(screen.getAllByTestId("establishment-edit")).toHaveLength(2);
  });

  it("offers a manager who sees every establishment to add one", async () => {
    renderList("manager", false);
    await screen.findAllByTestId("establishment-row");
    expect(screen.getByTestId("establishment-add")).toBeInTheDocument();
    expect(screen.queryByTestId("establishments-limited")).not.toBeInTheDocument();
  });

  it("closes one, keeping its name and address", async () => {
    const { backend } = renderList("owner");
    const rows = await screen.findAllByTestId("establishment-row");
    backend.updateEstablishment.mockResolvedValue({ ...places()[1]!, closed: true });
    await fireEvent.click(within(rows[1]!).getByTestId("establishment-close"));
    await waitFor(() =>
      expect(backend.updateEstablishment).toHaveBeenCalledWith("et_gare", {
        name: "Boulangerie Dupont — Gare",
        address: null,
        postal_code: null,
        city: "Paris",
        closed: true,
      }),
    );
    expect(await screen.findByTestId("establishments-notice")).toHaveTextContent("fermé");
  });
});
