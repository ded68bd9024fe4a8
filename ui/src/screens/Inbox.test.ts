// @vitest-environment happy-dom
// The reviews' inbox: the first page loads, an empty result and a failure are said, the
// filters ask again, and a chosen (or notified) review opens beside the list.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ReviewPage } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { aReview, deferred, errorBody, fakeBackend, type FakeBackend } from "../test/fakeBackend";
import Inbox from "./Inbox.svelte";

const t = translator("fr");

// The list is virtual (virtua): it draws the rows that fit the size a ResizeObserver reports
// for it, and shows a row once it was measured (and laid out: has an offsetParent), which a
// DOM without layout never does. Report a window-sized list of 64-pixel rows.
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const row = target.querySelector('[role="option"]') !== null;
    const contentRect = { width: 800, height: row ? 64 : 600 } as DOMRectReadOnly;
    queueMicrotask(() => this.callback([{ target, contentRect } as ResizeObserverEntry], this));
  }
  unobserve() {}
  disconnect() {}
}
const view = document.defaultView as unknown as { ResizeObserver: unknown };
const realResizeObserver = view.ResizeObserver;
const realOffsetParent = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetParent");
beforeAll(() => {
  view.ResizeObserver = SizedResizeObserver;
  Object.defineProperty(HTMLElement.prototype, "offsetParent", {
    configurable: true,
    get(this: HTMLElement) {
      return this.parentElement;
    },
  });
});
afterAll(() => {
  view.ResizeObserver = realResizeObserver;
  if (realOffsetParent)
    Object.defineProperty(HTMLElement.prototype, "offsetParent", realOffsetParent);
});

const page = (items = [aReview()], total = items.length): ReviewPage => ({
  items,
  total,
  next_cursor: null,
});

function renderInbox(backend: FakeBackend = fakeBackend(), openId: string | null = null) {
  backend.replyDraft.mockResolvedValue("");
  const props = { backend, t, language: "fr" as const, onsessionended: vi.fn(), openId };
  render(Inbox, { props });
  return { backend, props };
}

// What the inbox asks first: no filter, the first hundred.
const noFilter = { stars: null, status: null, answered: null, from: null, to: null, q: null };
const firstQuery = { ...noFilter, cursor: null, limit: 100 };

describe("Inbox", () => {
  it("says nothing is found only once the answer came", async () => {
    const backend = fakeBackend();
    const answer = deferred<ReviewPage>();
    backend.listReviews.mockReturnValue(answer.promise);
    renderInbox(backend);

    expect(backend.listReviews).toHaveBeenCalledWith(firstQuery);
    expect(screen.queryByText(t("noReviews"))).not.toBeInTheDocument();

    answer.resolve(page([], 0));
    expect(await screen.findByText(t("noReviews"))).toBeInTheDocument();
    expect(screen.getByTestId("review-total")).toHaveTextContent(`0 ${t("reviewsFound")}`);
    expect(screen.getByText(t("chooseReview"))).toBeInTheDocument();
  });

  it("lists the reviews found and how many there are", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockResolvedValue(
      page(
        [
          aReview({ id: "r-1", title: "Très bon accueil", rating: 5 }),
          aReview({ id: "r-2", title: "Attente trop longue", rating: 2 }),
        ],
        1234,
      ),
    );
    renderInbox(backend);

    const list = screen.getByRole("listbox", { name: t("navReviews") });
    const rows = await within(list).findAllByRole("option");
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining("Très bon accueil"),
      expect.stringContaining("Attente trop longue"),
    ]);
    // 1 234 with a narrow no-break space, as French writes it.
    expect(screen.getByTestId("review-total")).toHaveTextContent(/^1\s234 avis$/u, {
      normalizeWhitespace: true,
    });
    expect(screen.queryByText(t("noReviews"))).not.toBeInTheDocument();
  });

  it("shows why the reviews could not be loaded", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockRejectedValue(errorBody("La plateforme ne répond pas."));
    const { props } = renderInbox(backend);

    expect(await screen.findByRole("alert")).toHaveTextContent("La plateforme ne répond pas.");
    expect(props.onsessionended).not.toHaveBeenCalled();
  });

  it("hands an ended session to the app instead of showing it", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockRejectedValue(errorBody("Session terminée.", "not_logged_in"));
    const { props } = renderInbox(backend);

    await vi.waitFor(() => expect(props.onsessionended).toHaveBeenCalledOnce());
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("opens the chosen review beside the list", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockResolvedValue(page([aReview({ title: "Très bon accueil" })]));
    renderInbox(backend);

    const row = await screen.findByRole("option", { name: /Très bon accueil/ });
    expect(row).toHaveAttribute("aria-selected", "false");
    await fireEvent.click(row);
    expect(row).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("review-detail")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Très bon accueil" })).toBeInTheDocument();
    expect(screen.queryByText(t("chooseReview"))).not.toBeInTheDocument();
  });

  it("opens the review of a clicked notification at once", async () => {
    const backend = fakeBackend();
    backend.getReview.mockResolvedValue(aReview({ id: "r-9", title: "Avis notifié" }));
    backend.listReviews.mockResolvedValue(page([]));
    renderInbox(backend, "r-9");

    expect(await screen.findByRole("heading", { name: "Avis notifié" })).toBeInTheDocument();
    expect(backend.getReview).toHaveBeenCalledWith("r-9");
  });

  it("asks again when a filter changes", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockResolvedValue(page([]));
    renderInbox(backend);
    await screen.findByText(t("noReviews"));

    await fireEvent.click(screen.getByRole("checkbox", { name: `5 ${t("stars")}` }));
    expect(backend.listReviews).toHaveBeenLastCalledWith({ ...firstQuery, stars: "5" });
    await fireEvent.click(screen.getByRole("checkbox", { name: `4 ${t("stars")}` }));
    expect(backend.listReviews).toHaveBeenLastCalledWith({ ...firstQuery, stars: "4,5" });
  });

  it("says where an export failed", async () => {
    const backend = fakeBackend();
    backend.listReviews.mockResolvedValue(page([]));
    backend.exportReviews.mockRejectedValue(errorBody("Impossible d'écrire le fichier."));
    renderInbox(backend);

    await fireEvent.click(screen.getByRole("button", { name: t("exportCsv") }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Impossible d'écrire le fichier.");
  });
});
