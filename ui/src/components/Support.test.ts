// @vitest-environment happy-dom
// A support request as a conversation: the messages in order, a follow-up sent to an open
// request (kept in the box when sending fails), none offered on a closed one.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Ticket } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { errorBody, fakeBackend } from "../test/fakeBackend";
import Support from "./Support.svelte";

const t = translator("fr");

const ticket: Ticket = {
  reference: "EC-7K3M9Q",
  category: "bug",
  subject: "Export",
  message: "L'export est vide.",
  status: "answered",
  created_at: "2026-11-30T09:00:00Z",
  respond_by: "2026-12-02T09:00:00Z",
  answer: "Quel filtre ?",
  answered_at: "2026-11-30T10:00:00Z",
  messages: [
    { author: "customer", body: "L'export est vide.", created_at: "2026-11-30T09:00:00Z" },
    { author: "support", body: "Quel filtre ?", created_at: "2026-11-30T10:00:00Z" },
  ],
};

function renderSupport(tickets: Ticket[]) {
  const backend = fakeBackend();
  backend.supportDraft.mockResolvedValue({
    category: "",
    subject: "",
    message: "",
    contact_email: "",
  });
  backend.unsentSupport.mockResolvedValue([]);
  backend.myTickets.mockResolvedValue(tickets);
  render(Support, { props: { backend, t, language: "fr" as const, loggedIn: true } });
  return backend;
}

describe("Support conversation", () => {
  it("shows the messages in order and sends a follow-up, keeping it when sending fails", async () => {
    const backend = renderSupport([ticket]);
    const messages = await screen.findAllByTestId("ticket-message");
    expect(messages.map((m) => m.querySelector(".text")?.textContent)).toEqual([
      "L'export est vide.",
      "Quel filtre ?",
    ]);
    expect(messages[1]).toHaveTextContent(t("fromSupport"));

    await fireEvent.input(screen.getByTestId("follow-up"), {
      target: { value: "Le filtre 1 étoile." },
    });
    backend.sendTicketMessage.mockRejectedValueOnce(errorBody("La plateforme ne répond pas."));
    await fireEvent.click(screen.getByTestId("follow-up-send"));
    expect(await screen.findByTestId("follow-up-error")).toHaveTextContent("ne répond pas");
    expect(screen.getByTestId("follow-up")).toHaveValue("Le filtre 1 étoile.");

    backend.sendTicketMessage.mockResolvedValueOnce({
      ...ticket,
      status: "open",
      messages: [
        ...ticket.messages,
        { author: "customer", body: "Le filtre 1 étoile.", created_at: "2026-11-30T11:00:00Z" },
      ],
    });
    await fireEvent.click(screen.getByTestId("follow-up-send"));
    await vi.waitFor(() => expect(screen.getAllByTestId("ticket-message")).toHaveLength(3));
    expect(backend.sendTicketMessage).toHaveBeenLastCalledWith("EC-7K3M9Q", "Le filtre 1 étoile.");
    expect(screen.getByTestId("follow-up")).toHaveValue("");
  });

  it("offers no follow-up on a closed request, and says what to do", async () => {
    renderSupport([{ ...ticket, status: "closed" }]);
    await screen.findAllByTestId("ticket-message");
    expect(screen.queryByTestId("follow-up")).toBeNull();
    expect(screen.getByText(t("ticketClosedHint"))).toBeInTheDocument();
  });
});
