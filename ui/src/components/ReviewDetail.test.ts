// @vitest-environment happy-dom
// One review and its reply: the draft kept on disk comes back, a reply is published,
// changed or deleted, a review flagged, and each failure is said where it happened; who
// wrote the reply is said, and a read-only role sees the reply without the tools.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Review } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, aReview, deferred, errorBody, fakeBackend } from "../test/fakeBackend";
import ReviewDetail from "./ReviewDetail.svelte";

const t = translator("fr");

/**
 * `draft`: what was kept on disk for this review (none by default); resolves once the view
 * has read it, as it does before anyone can type.
 */
async function renderDetail(review: Review = aReview(), draft = "", can = abilitiesOf("owner")) {
  const backend = fakeBackend();
  backend.replyDraft.mockResolvedValue(draft);
  const props = {
    backend,
    t,
    language: "fr" as const,
    review,
    onupdated: vi.fn(),
    onsessionended: vi.fn(),
    can,
  };
  render(ReviewDetail, { props });
  await backend.replyDraft.mock.results[0]?.value;
  await tick();
  return { backend, props };
}

const replyBox = () => screen.getByLabelText(t("replyLabel"));
const publish = () => screen.getByTestId("reply-publish");

afterEach(() => {
  vi.useRealTimers();
});

describe("ReviewDetail", () => {
  it("shows the review as the public wrote it, as text", async () => {
    await renderDetail(aReview({ title: "<b>Parfait</b>", body: "Rien à redire.", rating: 4 }));
    expect(screen.getByRole("heading", { name: "<b>Parfait</b>" })).toBeInTheDocument();
    expect(screen.getByTestId("review-body")).toHaveTextContent("Rien à redire.");
    expect(screen.getByText("4/5")).toBeInTheDocument();
    expect(screen.getByTestId("review-status")).toHaveTextContent(t("statusPublished"));
  });

  it("cannot publish an empty reply", async () => {
    const { backend } = await renderDetail();
    expect(backend.replyDraft).toHaveBeenCalledWith("r-1");
    expect(replyBox()).toHaveValue("");
    expect(publish()).toHaveTextContent(t("replyPublish"));
    expect(publish()).toBeDisabled();
    await fireEvent.input(replyBox(), { target: { value: "   " } });
    expect(publish()).toBeDisabled();
    expect(screen.queryByTestId("reply-delete")).not.toBeInTheDocument();
  });

  it("brings back the draft being written, over the published reply", async () => {
    await renderDetail(
      aReview({
        reply: {
          body: "Merci.",
          created_at: "2026-10-05T08:00:00Z",
          updated_at: null,
          author: null,
        },
      }),
      "Merci Jean, à bientôt",
    );
    expect(replyBox()).toHaveValue("Merci Jean, à bientôt");
    expect(screen.getByRole("status")).toHaveTextContent(t("replyDraftKept"));
    expect(publish()).toHaveTextContent(t("replyUpdate"));
  });

  it("publishes with the buttons disabled meanwhile, then says so", async () => {
    const { backend, props } = await renderDetail();
    const answer = deferred<Review>();
    backend.saveReply.mockReturnValue(answer.promise);

    await fireEvent.input(replyBox(), { target: { value: "Merci pour votre visite !" } });
    expect(screen.getByText("25 / 4096")).toBeInTheDocument();
    await fireEvent.click(publish());
    expect(backend.saveReply).toHaveBeenCalledWith("r-1", "Merci pour votre visite !");
    expect(publish()).toBeDisabled();

    const saved = aReview({
      reply: {
        body: "Merci pour votre visite !",
        created_at: "2026-10-05T08:00:00Z",
        updated_at: null,
        author: "Marie Dupont",
      },
    });
    answer.resolve(saved);
    expect(await screen.findByRole("status")).toHaveTextContent(t("replyPublished"));
    expect(props.onupdated).toHaveBeenCalledWith(saved);
    expect(publish()).toBeEnabled();
  });

  it("keeps the text and shows the server's message when publishing fails", async () => {
    const { backend, props } = await renderDetail();
    backend.saveReply.mockRejectedValue(errorBody("La plateforme est indisponible."));
    await fireEvent.input(replyBox(), { target: { value: "Merci !" } });
    await fireEvent.click(publish());

    expect(await screen.findByRole("alert")).toHaveTextContent("La plateforme est indisponible.");
    expect(replyBox()).toHaveValue("Merci !");
    expect(props.onupdated).not.toHaveBeenCalled();
    expect(publish()).toBeEnabled();
  });

  it("hands an ended session to the app instead of showing it", async () => {
    const { backend, props } = await renderDetail();
    backend.saveReply.mockRejectedValue(errorBody("Session terminée.", "session_ended"));
    await fireEvent.input(replyBox(), { target: { value: "Merci !" } });
    await fireEvent.click(publish());

    await vi.waitFor(() => expect(props.onsessionended).toHaveBeenCalledOnce());
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("counts characters as owners do, and refuses a reply over 4,096", async () => {
    await renderDetail();
    await fireEvent.input(replyBox(), { target: { value: "🙂".repeat(4096) } });
    expect(screen.getByText("4096 / 4096")).toBeInTheDocument();
    expect(publish()).toBeEnabled();
    await fireEvent.input(replyBox(), { target: { value: "é".repeat(4097) } });
    expect(screen.getByText(t("replyTooLong"))).toBeInTheDocument();
    expect(replyBox()).toHaveAttribute("aria-invalid", "true");
    expect(publish()).toBeDisabled();
  });

  it("keeps the draft on disk while typing, and says when it cannot", async () => {
    vi.useFakeTimers();
    const { backend } = await renderDetail();
    backend.saveReplyDraft.mockRejectedValue(errorBody("Disque plein."));
    await fireEvent.input(replyBox(), { target: { value: "Merci" } });
    expect(backend.saveReplyDraft).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(300);
    expect(backend.saveReplyDraft).toHaveBeenCalledWith("r-1", "Merci");
    expect(screen.getByRole("alert")).toHaveTextContent(`${t("draftNotSaved")} Disque plein.`);
  });

  it("deletes a published reply only once the owner confirms", async () => {
    const review = aReview({
      reply: { body: "Merci.", created_at: "2026-10-05T08:00:00Z", updated_at: null, author: null },
    });
    const { backend, props } = await renderDetail(review);
    backend.deleteReply.mockResolvedValue();
    expect(replyBox()).toHaveValue("Merci.");

    await fireEvent.click(screen.getByRole("button", { name: t("replyDelete") }));
    expect(backend.deleteReply).not.toHaveBeenCalled();
    expect(screen.getByRole("alertdialog")).toHaveTextContent(t("replyDeleteQuestion"));
    await fireEvent.click(screen.getByRole("button", { name: t("cancel") }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(backend.deleteReply).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole("button", { name: t("replyDelete") }));
    await fireEvent.click(screen.getByRole("button", { name: t("replyDeleteConfirm") }));
    await vi.waitFor(() =>
      expect(props.onupdated).toHaveBeenCalledWith({ ...review, reply: null }),
    );
    expect(backend.deleteReply).toHaveBeenCalledWith("r-1");
    expect(replyBox()).toHaveValue("");
  });

  it("flags a review with a reason, and says so", async () => {
    const { backend, props } = await renderDetail();
    backend.flagReview.mockResolvedValue();
    await fireEvent.click(screen.getByRole("button", { name: t("flag") }));
    await fireEvent.click(screen.getByRole("button", { name: t("flagSend") }));
    expect(backend.flagReview).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByLabelText(t("flagReason")), {
      target: { value: "Faux avis" },
    });
    await fireEvent.click(screen.getByRole("button", { name: t("flagSend") }));
    expect(await screen.findByRole("status")).toHaveTextContent(t("flagged"));
    expect(backend.flagReview).toHaveBeenCalledWith("r-1", "Faux avis");
    expect(props.onupdated).toHaveBeenCalledWith(expect.objectContaining({ flags: 1 }));
    expect(screen.queryByLabelText(t("flagReason"))).not.toBeInTheDocument();
  });

  it("fills a template in for the review, after what was already typed", async () => {
    const template = {
      id: "tpl-1",
      name: "Merci",
      body: "Merci {prénom} !",
      language: "fr",
      min_rating: 4,
      max_rating: 5,
      topic: null,
    };
    const backend = fakeBackend();
    backend.replyDraft.mockResolvedValue("Bonjour,");
    backend.replyTemplates.mockResolvedValue([
      template,
      { ...template, id: "tpl-2", name: "Phrase accueil", topic: "accueil" as const },
    ]);
    backend.fillReplyTemplate.mockResolvedValue("Merci Camille !");
    render(ReviewDetail, {
      props: {
        backend,
        t,
        language: "fr",
        review: aReview(),
        onupdated: vi.fn(),
        onsessionended: vi.fn(),
      },
    });
    const picker = await screen.findByTestId("template-pick");
    // Topic sentences are parts of suggestions, not replies to pick.
    expect(screen.queryByRole("option", { name: "Phrase accueil" })).not.toBeInTheDocument();
    await vi.waitFor(() => expect(replyBox()).toHaveValue("Bonjour,"));
    await fireEvent.change(picker, { target: { value: "tpl-1" } });
    await vi.waitFor(() => expect(replyBox()).toHaveValue("Bonjour,\n\nMerci Camille !"));
    expect(backend.fillReplyTemplate).toHaveBeenCalledWith(template, aReview());
  });

  it("publishes a suggestion only once it is edited or confirmed as it is", async () => {
    const { backend } = await renderDetail();
    backend.suggestReply.mockResolvedValue({
      text: "Bonjour Camille, merci !",
      template_name: "Remerciement",
      topics: ["accueil"],
    });
    backend.saveReply.mockResolvedValue(aReview());
    await fireEvent.click(screen.getByRole("button", { name: t("suggestReply") }));
    await vi.waitFor(() => expect(replyBox()).toHaveValue("Bonjour Camille, merci !"));
    const note = screen.getByTestId("suggestion-note");
    expect(note).toHaveTextContent("Remerciement");
    expect(note).toHaveTextContent(t("topicAccueil"));
    expect(note).toHaveTextContent(t("suggestionCheck"));
    expect(publish()).toBeDisabled();
    // Not a draft until edited: it could come back from the drafts unreviewed.
    await new Promise((done) => setTimeout(done, 400));
    expect(backend.saveReplyDraft).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId("suggestion-confirm"));
    expect(publish()).toBeEnabled();
    await fireEvent.click(screen.getByTestId("suggestion-confirm"));
    expect(publish()).toBeDisabled();

    await fireEvent.input(replyBox(), { target: { value: "Bonjour Camille, merci beaucoup !" } });
    expect(publish()).toBeEnabled();
    await fireEvent.click(publish());
    expect(backend.saveReply).toHaveBeenCalledWith("r-1", "Bonjour Camille, merci beaucoup !");
  });

  it("says where to add a template when none suits the rating", async () => {
    const { backend } = await renderDetail();
    backend.suggestReply.mockResolvedValue(null);
    await fireEvent.click(screen.getByRole("button", { name: t("suggestReply") }));
    expect(await screen.findByRole("status")).toHaveTextContent(t("suggestNone"));
    expect(replyBox()).toHaveValue("");
  });

  it("says who wrote the reply", async () => {
    await renderDetail(
      aReview({
        reply: {
          body: "Merci.",
          created_at: "2026-10-05T08:00:00Z",
          updated_at: null,
          author: "Paul Martin",
        },
      }),
    );
    expect(screen.getByTestId("reply-author")).toHaveTextContent("Réponse de Paul Martin");
    expect(replyBox()).toHaveValue("Merci.");
  });

  it("names no author for a reply written before teams", async () => {
    await renderDetail(
      aReview({
        reply: {
          body: "Merci.",
          created_at: "2026-10-05T08:00:00Z",
          updated_at: null,
          author: null,
        },
      }),
    );
    expect(screen.queryByTestId("reply-author")).not.toBeInTheDocument();
  });

  it("shows a reader the reply and who wrote it, without any means to answer", async () => {
    const { backend } = await renderDetail(
      aReview({
        reply: {
          body: "Merci pour votre visite !",
          created_at: "2026-10-05T08:00:00Z",
          updated_at: null,
          author: "Paul Martin",
        },
      }),
      "",
      abilitiesOf("reader"),
    );
    expect(screen.getByTestId("read-only-note")).toHaveTextContent(t("readOnlyNote"));
    expect(screen.getByTestId("reply-text")).toHaveTextContent("Merci pour votre visite !");
    expect(screen.getByTestId("reply-author")).toHaveTextContent("Réponse de Paul Martin");
    for (const id of [
      "reply-box",
      "reply-publish",
      "reply-delete",
      "template-pick",
      "suggest-reply",
      "flag-open",
    ]) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
    // Nothing is asked that only an answer would use.
    expect(backend.replyTemplates).not.toHaveBeenCalled();
    expect(backend.replyDraft).not.toHaveBeenCalled();
  });

  it("gives a role that may answer the reply box, and no read-only note", async () => {
    await renderDetail(aReview(), "", abilitiesOf("manager"));
    expect(screen.getByTestId("reply-box")).toBeInTheDocument();
    expect(screen.queryByTestId("read-only-note")).not.toBeInTheDocument();
  });
});
