// @vitest-environment happy-dom
// Settings › Modèles de réponse: a template written and saved, a refusal naming its field
// with what was typed kept, a deletion only once confirmed, and the suggestion rules shown;
// a read-only role sees them all without the means to change them.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ReplyTemplate } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, errorBody, fakeBackend } from "../test/fakeBackend";
import Templates from "./Templates.svelte";

const t = translator("fr");

const merci: ReplyTemplate = {
  id: "tpl-1",
  name: "Remerciement",
  body: "Merci {prénom} !",
  language: "fr",
  min_rating: 4,
  max_rating: 5,
  topic: null,
};

function renderTemplates(list: ReplyTemplate[] = [merci], can = abilitiesOf("owner")) {
  const backend = fakeBackend();
  backend.replyTemplates.mockResolvedValue(list);
  backend.suggestionRules.mockResolvedValue([{ topic: "prix", words: ["prix", "cher"] }]);
  const props = { backend, t, language: "fr" as const, onsessionended: vi.fn(), can };
  render(Templates, { props });
  return { backend, props };
}

describe("Templates", () => {
  it("lists the templates with their language, ratings and kind, and the rules", async () => {
    renderTemplates();
    const list = await screen.findByTestId("template-list");
    expect(list).toHaveTextContent("Remerciement");
    expect(list).toHaveTextContent("4–5 ★");
    expect(list).toHaveTextContent(t("templateWhole"));
    expect(await screen.findByTestId("words-prix")).toHaveValue("prix, cher");
  });

  it("saves a new template, and keeps what was typed when a field is refused", async () => {
    const { backend } = renderTemplates();
    await screen.findByTestId("template-list");
    await fireEvent.click(screen.getByTestId("template-new"));
    await fireEvent.input(screen.getByTestId("template-name"), { target: { value: "Retard" } });
    await fireEvent.input(screen.getByTestId("template-body"), {
      target: { value: "Pardon pour l'attente, {prénom}." },
    });
    backend.createReplyTemplate.mockRejectedValueOnce(
      errorBody("Corrigez les champs signalés.", "validation_failed", {
        fields: [
          {
            field: "name",
            code: "too_long",
            message_fr: "Ce champ est trop long.",
            message_en: "Too long.",
          },
        ],
      }),
    );
    await fireEvent.click(screen.getByTestId("template-save"));
    expect(await screen.findByText("Ce champ est trop long.")).toBeInTheDocument();
    expect(screen.getByTestId("template-body")).toHaveValue("Pardon pour l'attente, {prénom}.");

    backend.createReplyTemplate.mockResolvedValueOnce({ ...merci, id: "tpl-2" });
    await fireEvent.click(screen.getByTestId("template-save"));
    await vi.waitFor(() => expect(screen.queryByTestId("template-form")).not.toBeInTheDocument());
    expect(backend.createReplyTemplate).toHaveBeenLastCalledWith({
      name: "Retard",
      body: "Pardon pour l'attente, {prénom}.",
      language: "fr",
      min_rating: 1,
      max_rating: 5,
      topic: null,
    });
    expect(screen.getByRole("status")).toHaveTextContent(t("templateSaved"));
  });

  it("deletes a template only once confirmed", async () => {
    const { backend } = renderTemplates();
    await screen.findByTestId("template-list");
    backend.deleteReplyTemplate.mockResolvedValue();
    await fireEvent.click(screen.getByRole("button", { name: t("remove") }));
    expect(backend.deleteReplyTemplate).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: t("templateDeleteConfirm") }));
    await vi.waitFor(() => expect(backend.deleteReplyTemplate).toHaveBeenCalledWith("tpl-1"));
  });

  it("saves the owner's words for a topic, and brings the original ones back", async () => {
    const { backend } = renderTemplates();
    const words = await screen.findByTestId("words-prix");
    backend.setSuggestionRules.mockResolvedValueOnce([{ topic: "prix", words: ["remise"] }]);
    await fireEvent.input(words, { target: { value: "Remise, " } });
    await fireEvent.click(screen.getByTestId("rules-save"));
    expect(backend.setSuggestionRules).toHaveBeenLastCalledWith([
      { topic: "prix", words: ["Remise", " "] },
    ]);
    expect(await screen.findByTestId("rules-notice")).toHaveTextContent(t("rulesSaved"));
    expect(screen.getByTestId("words-prix")).toHaveValue("remise");

    backend.setSuggestionRules.mockResolvedValueOnce([{ topic: "prix", words: ["prix", "cher"] }]);
    await fireEvent.click(screen.getByTestId("rules-reset"));
    expect(backend.setSuggestionRules).toHaveBeenLastCalledWith([]);
    await vi.waitFor(() => expect(screen.getByTestId("words-prix")).toHaveValue("prix, cher"));
  });

  it("shows a reader the templates and the rules, without the means to change them", async () => {
    renderTemplates([merci], abilitiesOf("reader"));
    const list = await screen.findByTestId("template-list");
    expect(list).toHaveTextContent("Remerciement");
    expect(within(list).queryAllByRole("button")).toHaveLength(0);
    expect(screen.queryByTestId("template-new")).not.toBeInTheDocument();
    expect(screen.getByTestId("templates-read-only")).toHaveTextContent(t("templatesReadOnly"));
    expect(await screen.findByTestId("words-prix")).toHaveAttribute("readonly");
    expect(screen.queryByTestId("rules-save")).not.toBeInTheDocument();
  });
});
