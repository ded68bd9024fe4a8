// @vitest-environment happy-dom
// Inviting customers: one by hand (each wrong field said beside it, what was typed kept),
// or a CSV checked line by line — the lines with a problem shown and left out of the
// sending; the invitations' states listed. A read-only role sees the list, not the forms.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { CsvPreview, Establishment, InvitationPage, InvitationSummary } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, errorBody, fakeBackend } from "../test/fakeBackend";
import Invitations from "./Invitations.svelte";

const t = translator("fr");

const summary: InvitationSummary = {
  sent: 4,
  opened: 3,
  reviewed: 2,
  refused: 0,
  unsubscribed: 0,
  response_rate: 50,
  left_today: 496,
};

const page: InvitationPage = {
  items: [
    {
      id: "iv_1",
      name: "Hélène Dupré",
      email: "helene@exemple.fr",
      order_ref: "C-12",
      experience_date: null,
      state: "reviewed",
      sent_at: "2026-11-30T10:00:00Z",
      opened_at: "2026-11-30T11:00:00Z",
      reviewed_at: "2026-11-30T12:00:00Z",
      review_id: "rv_1",
      establishment_id: "et_co",
    },
  ],
  next_cursor: null,
};

function renderInvitations(can = abilitiesOf("manager")) {
  const backend = fakeBackend();
  backend.invitationSummary.mockResolvedValue(summary);
  backend.listInvitations.mockResolvedValue(page);
  render(Invitations, {
    props: { backend, t, language: "fr" as const, onsessionended: vi.fn(), can },
  });
  return backend;
}

describe("Invitations", () => {
  it("says so when no open establishment is left to invite for", async () => {
    const backend = fakeBackend();
    backend.invitationSummary.mockResolvedValue(summary);
    backend.listInvitations.mockResolvedValue(page);
    const closed = (id: string): Establishment => ({
      id,
      name: id,
      address: null,
      postal_code: null,
      city: null,
      closed: true,
      main: false,
      reviews: 0,
      average: null,
      response_rate: null,
    });
    backend.establishments.mockResolvedValue([closed("et_gare")]);
    render(Invitations, {
      props: {
        backend,
        t,
        language: "fr" as const,
        onsessionended: vi.fn(),
        can: abilitiesOf("manager"),
      },
    });
    expect(await screen.findByTestId("invitations-no-open-establishment")).toHaveTextContent(
      t("invitationsNoOpenEstablishment"),
    );
    backend.establishments.mockResolvedValue([{ ...closed("et_gare"), closed: false }]);
  });

  it("lists the invitations with their state and the response rate", async () => {
    renderInvitations();
    expect(await screen.findByTestId("invitation-state")).toHaveTextContent(
      t("invitationState_reviewed"),
    );
    expect(screen.getByTestId("invitation-summary")).toHaveTextContent("50");
    expect(screen.getByTestId("invite-send")).toBeInTheDocument();
    expect(screen.getByTestId("invite-file")).toBeInTheDocument();
    expect(screen.queryByTestId("invitations-read-only")).not.toBeInTheDocument();
  });

  it("shows a reader the figures and the list, without the forms to invite", async () => {
    renderInvitations(abilitiesOf("reader"));
    expect(await screen.findByTestId("invitation-state")).toHaveTextContent(
      t("invitationState_reviewed"),
    );
    expect(screen.getByTestId("invitation-summary")).toHaveTextContent("50");
    expect(screen.getByTestId("invitations-read-only")).toHaveTextContent(t("invitationsReadOnly"));
    expect(screen.queryByTestId("invite-email")).not.toBeInTheDocument();
    expect(screen.queryByTestId("invite-send")).not.toBeInTheDocument();
    expect(screen.queryByTestId("invite-file")).not.toBeInTheDocument();
  });

  it("shows each wrong field beside it and keeps what was typed", async () => {
    const backend = renderInvitations();
    backend.inviteCustomers.mockRejectedValue(
      errorBody("Corrigez les champs signalés.", "validation_failed", {
        fields: [
          {
            field: "customers[0].email",
            code: "invalid_email",
            message_fr: "Cette adresse e-mail n'est pas valide.",
            message_en: "This e-mail address is not valid.",
          },
        ],
      }),
    );
    await fireEvent.input(screen.getByTestId("invite-name"), { target: { value: "Jo" } });
    await fireEvent.input(screen.getByTestId("invite-email"), { target: { value: "jo@" } });
    await fireEvent.click(screen.getByTestId("invite-send"));
    expect(await screen.findByText("Cette adresse e-mail n'est pas valide.")).toBeInTheDocument();
    expect(screen.getByTestId("invite-email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("invite-email")).toHaveValue("jo@");
    expect(screen.getByTestId("invite-name")).toHaveValue("Jo");
  });

  it("sends only the lines of a CSV without a problem", async () => {
    const backend = renderInvitations();
    const preview: CsvPreview = {
      separator: ";",
      encoding: "windows-1252",
      ready: 1,
      lines: [
        {
          line: 2,
          customer: {
            name: "Ana",
            email: "ana@exemple.fr",
            order_ref: null,
            experience_date: null,
            language: null,
          },
          problem: null,
        },
        {
          line: 3,
          customer: {
            name: "Bob",
            email: "bob@",
            order_ref: null,
            experience_date: null,
            language: null,
          },
          problem: { code: "invalid_email", message: "Cette adresse e-mail n'est pas valide." },
        },
      ],
    };
    backend.checkCustomerFile.mockResolvedValue(preview);
    backend.inviteCustomers.mockResolvedValue({
      sent: 1,
      results: [{ email: "ana@exemple.fr", outcome: "sent", id: "iv_2" }],
    });
    await fireEvent.click(screen.getByTestId("invite-file"));
    const problems = await screen.findAllByTestId("file-line-problem");
    expect(problems[1]).toHaveTextContent("Cette adresse e-mail n'est pas valide.");
    await fireEvent.click(screen.getByTestId("file-send"));
    await waitFor(() => expect(backend.inviteCustomers).toHaveBeenCalled());
    expect(backend.inviteCustomers.mock.calls[0]?.[0]).toEqual([preview.lines[0]?.customer]);
    expect(await screen.findByTestId("file-result")).toHaveTextContent(
      "1 invitation(s) envoyée(s).",
    );
  });

  it("sends no more lines than the company may still send, and says how many wait", async () => {
    const backend = fakeBackend();
    backend.invitationSummary.mockResolvedValue({ ...summary, left_today: 1 });
    backend.listInvitations.mockResolvedValue(page);
    render(Invitations, {
      props: { backend, t, language: "fr" as const, onsessionended: vi.fn() },
    });
    const line = (n: number, email: string) => ({
      line: n,
      customer: { name: "C", email, order_ref: null, experience_date: null, language: null },
      problem: null,
    });
    backend.checkCustomerFile.mockResolvedValue({
      separator: ";",
      encoding: "utf-8",
      ready: 2,
      lines: [line(2, "a@exemple.fr"), line(3, "b@exemple.fr")],
    });
    backend.inviteCustomers.mockResolvedValue({
      sent: 1,
      results: [{ email: "a@exemple.fr", outcome: "sent", id: "iv_3" }],
    });
    await screen.findByTestId("invitation-summary");
    await fireEvent.click(screen.getByTestId("invite-file"));
    await fireEvent.click(await screen.findByTestId("file-send"));
    await waitFor(() => expect(backend.inviteCustomers).toHaveBeenCalled());
    expect(backend.inviteCustomers.mock.calls[0]?.[0]).toHaveLength(1);
    expect(await screen.findByTestId("file-result")).toHaveTextContent("1 ligne(s) non envoyée(s)");
  });

  it("says why a file cannot be read at all", async () => {
    const backend = renderInvitations();
    backend.checkCustomerFile.mockRejectedValue(
      errorBody("Corrigez les champs signalés.", "validation_failed", {
        fields: [
          {
            field: "file",
            code: "missing_column",
            message_fr: "Ce fichier n'a pas de colonne « e-mail ».",
            message_en: 'This file has no "e-mail" column.',
          },
        ],
      }),
    );
    await fireEvent.click(screen.getByTestId("invite-file"));
    expect(await screen.findByTestId("file-error")).toHaveTextContent("colonne « e-mail »");
  });
});

describe("Invitations for one establishment", () => {
  const shop = (id: string, name: string, main = false, closed = false): Establishment => ({
    id,
    name,
    address: null,
    postal_code: null,
    city: null,
    closed,
    main,
    reviews: 0,
    average: null,
    response_rate: null,
  });
  const link = (id: string) => ({ url: `https://avis.example/${id}`, qr_svg: "<svg/>" });

  function renderFor(establishment: string | null, places: Establishment[]) {
    const backend = fakeBackend();
    backend.invitationSummary.mockResolvedValue(summary);
    backend.listInvitations.mockResolvedValue(page);
    backend.establishments.mockResolvedValue(places);
    backend.reviewLink.mockImplementation((id) => Promise.resolve(link(id ?? "main")));
    const view = render(Invitations, {
      props: {
        backend,
        t,
        language: "fr" as const,
        onsessionended: vi.fn(),
        can: abilitiesOf("manager"),
        establishment,
      },
    });
    return { backend, ...view };
  }

  const three = () => [
    shop("et_co", "Centre", true),
    shop("et_gare", "Gare"),
    shop("et_port", "Port", false, true),
  ];

  async function inviteHelene() {
    await fireEvent.input(screen.getByTestId("invite-name"), { target: { value: "Hélène" } });
    await fireEvent.input(screen.getByTestId("invite-email"), {
      target: { value: "helene@exemple.fr" },
    });
    await fireEvent.click(screen.getByTestId("invite-send"));
  }

  it("follows the top bar's choice for the figures and the list, and again when it changes", async () => {
    const { backend, rerender } = renderFor("et_gare", three());
    await screen.findByTestId("invitation-summary");
    expect(backend.invitationSummary).toHaveBeenCalledWith("et_gare");
    expect(backend.listInvitations).toHaveBeenCalledWith({
      cursor: null,
      limit: 50,
      establishment: "et_gare",
    });
    await rerender({ establishment: null });
    await waitFor(() => expect(backend.invitationSummary).toHaveBeenLastCalledWith(null));
    expect(backend.listInvitations).toHaveBeenLastCalledWith({ cursor: null, limit: 50 });
  });

  it("invites for the top bar's establishment, or the one chosen in the form", async () => {
    const { backend } = renderFor("et_gare", three());
    backend.inviteCustomers.mockResolvedValue({
      sent: 1,
      results: [{ email: "helene@exemple.fr", outcome: "sent", id: "iv_9" }],
    });
    const select = await screen.findByTestId("invitation-establishment");
    expect(select).toHaveValue("et_gare");
    // Only open establishments are offered.
    expect(
      Array.from(select.querySelectorAll("option")).map((o) => o.getAttribute("value")),
    ).toEqual(["et_co", "et_gare"]);
    await inviteHelene();
    await waitFor(() => expect(backend.inviteCustomers).toHaveBeenCalledTimes(1));
    expect(backend.inviteCustomers.mock.calls[0]?.[1]).toBe("et_gare");

    await fireEvent.change(select, { target: { value: "et_co" } });
    await screen.findByTestId("invite-result");
    await inviteHelene();
    await waitFor(() => expect(backend.inviteCustomers).toHaveBeenCalledTimes(2));
    expect(backend.inviteCustomers.mock.calls[1]?.[1]).toBe("et_co");
  });

  it("invites for the main establishment when all are shown, and names the only one", async () => {
    const first = renderFor(null, three());
    first.backend.inviteCustomers.mockResolvedValue({ sent: 1, results: [] });
    expect(await screen.findByTestId("invitation-establishment")).toHaveValue("et_co");
    await inviteHelene();
    await waitFor(() => expect(first.backend.inviteCustomers).toHaveBeenCalled());
    expect(first.backend.inviteCustomers.mock.calls[0]?.[1]).toBe("et_co");
    first.unmount();

    // One establishment seen: nothing to choose, but it is named.
    const only = renderFor(null, [shop("et_gare", "Gare")]);
    only.backend.inviteCustomers.mockResolvedValue({ sent: 1, results: [] });
    await waitFor(() => expect(only.backend.reviewLink).toHaveBeenCalledWith("et_gare"));
    expect(screen.queryByTestId("invitation-establishment")).not.toBeInTheDocument();
    expect(screen.queryByTestId("review-link-establishment")).not.toBeInTheDocument();
    await inviteHelene();
    await waitFor(() => expect(only.backend.inviteCustomers).toHaveBeenCalled());
    expect(only.backend.inviteCustomers.mock.calls[0]?.[1]).toBe("et_gare");
  });

  it("shows the link of the establishment chosen, and saves its QR code", async () => {
    const { backend } = renderFor("et_gare", three());
    backend.saveReviewQr.mockResolvedValue(120);
    expect(await screen.findByTestId("review-link")).toHaveTextContent(
      "https://avis.example/et_gare",
    );
    expect(backend.reviewLink).toHaveBeenCalledTimes(1);
    const select = screen.getByTestId("review-link-establishment");
    expect(select).toHaveValue("et_gare");
    await fireEvent.change(select, { target: { value: "et_co" } });
    await waitFor(() =>
      expect(screen.getByTestId("review-link")).toHaveTextContent("https://avis.example/et_co"),
    );
    expect(backend.reviewLink).toHaveBeenLastCalledWith("et_co");
    await fireEvent.click(screen.getByTestId("qr-png"));
    expect(backend.saveReviewQr).toHaveBeenCalledWith("png", "et_co");
  });
});
