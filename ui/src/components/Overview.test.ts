// @vitest-environment happy-dom
// The dashboard's figures at start: last time's, handed over already read, are shown at
// once without asking for them; fresh ones are asked for only once the session is known
// to be alive, and then replace them. The period picker asks for its dates; a trust-index
// point to fix says what to do and leads there. With several establishments, the trust
// index (the company's) shows each one's review figures, and the monthly report is the
// chosen establishment's. Periods are counted in Paris's days, wherever the computer is.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fixtureBackend } from "../bench/fixtureBackend";
import type { Establishment, Summary } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, deferred, fakeBackend } from "../test/fakeBackend";
import Overview from "./Overview.svelte";

const t = translator("fr");

async function figures(count: number): Promise<Summary> {
  return fixtureBackend(count).dashboardSummary(null, null, null);
}

describe("Overview", () => {
  it("shows last time's figures at once and asks for fresh ones only when ready", async () => {
    const backend = fakeBackend();
    const initial = { summary: await figures(1200), trust: null, company_name: "Boulangerie" };
    const props = {
      backend,
      t,
      language: "fr" as const,
      onsessionended: () => {},
      initial,
      ready: false,
    };
    const view = render(Overview, props);
    expect((await screen.findByTestId("kpi-count")).textContent).toMatch(/1\s?200/);
    expect(screen.getByTestId("stale")).toBeTruthy();
    expect(backend.dashboardSnapshot).not.toHaveBeenCalled();
    expect(backend.dashboardSummary).not.toHaveBeenCalled();

    backend.dashboardSummary.mockResolvedValue(await figures(1300));
    backend.trustIndex.mockResolvedValue(await fixtureBackend(1).trustIndex());
    await view.rerender({ ...props, ready: true });
    await waitFor(() => expect(screen.getByTestId("kpi-count").textContent).toMatch(/1\s?300/));
    expect(backend.dashboardSummary).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("stale")).toBeNull();
  });

  it("asks for the chosen period's figures and refuses chosen dates in the wrong order", async () => {
    const backend = fakeBackend();
    backend.dashboardSnapshot.mockResolvedValue({ summary: null, trust: null, company_name: null });
    backend.trustIndex.mockResolvedValue(await fixtureBackend(1).trustIndex());
    const thirty = await figures(1200);
    backend.dashboardSummary.mockResolvedValue({ ...thirty, new_reviews: 30 });
    render(Overview, { backend, t, language: "fr" as const, onsessionended: () => {} });
    await waitFor(() => expect(screen.getByTestId("kpi-new")).toHaveTextContent("30"));
    expect(backend.dashboardSummary).toHaveBeenLastCalledWith(null, null, null);

    backend.dashboardSummary.mockResolvedValue({ ...thirty, new_reviews: 7, period_average: 3.5 });
    await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "7" } });
    await waitFor(() => expect(screen.getByTestId("kpi-new")).toHaveTextContent("7"));
    const [from, to] = backend.dashboardSummary.mock.lastCall ?? [];
    const days = (Date.parse(to ?? "") - Date.parse(from ?? "")) / 86_400_000;
    expect(days).toBe(6);
    expect(screen.getByTestId("kpi-period-average")).toHaveTextContent("3,5");

    await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "custom" } });
    await fireEvent.input(await screen.findByTestId("period-from"), {
      target: { value: "2026-11-20" },
    });
    await fireEvent.input(screen.getByTestId("period-to"), { target: { value: "2026-11-01" } });
    const calls = backend.dashboardSummary.mock.calls.length;
    await fireEvent.click(screen.getByTestId("period-apply"));
    expect(screen.getByTestId("period-error")).toHaveTextContent(t("periodDatesOrder"));
    expect(backend.dashboardSummary.mock.calls.length).toBe(calls);
    await fireEvent.input(screen.getByTestId("period-to"), { target: { value: "2026-11-30" } });
    await fireEvent.click(screen.getByTestId("period-apply"));
    expect(backend.dashboardSummary).toHaveBeenLastCalledWith("2026-11-20", "2026-11-30", null);
  });

  it("counts the period in Paris's days on a computer a day behind Paris", async () => {
    // 22:30 UTC on 30 June is already 1 July in Paris (summer time).
    const zone = process.env.TZ;
    process.env.TZ = "UTC";
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-06-30T22:30:00Z"));
    try {
      expect(new Date().getDate()).toBe(30);
      const backend = fakeBackend();
      backend.dashboardSnapshot.mockResolvedValue({
        summary: null,
        trust: null,
        company_name: null,
      });
      backend.trustIndex.mockResolvedValue(await fixtureBackend(1).trustIndex());
      backend.dashboardSummary.mockResolvedValue(await figures(10));
      render(Overview, { backend, t, language: "fr" as const, onsessionended: () => {} });
      await waitFor(() => expect(backend.dashboardSummary).toHaveBeenCalled());
      await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "7" } });
      expect(backend.dashboardSummary).toHaveBeenLastCalledWith("2026-06-25", "2026-07-01", null);
      await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "365" } });
      expect(backend.dashboardSummary).toHaveBeenLastCalledWith("2025-07-02", "2026-07-01", null);
    } finally {
      vi.useRealTimers();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("says what to do about a point to fix, and leads there", async () => {
    const backend = fakeBackend();
    const trust = {
      score: 50,
      points: [
        {
          key: "legal_information",
          label: "Mentions légales",
          status: "failed" as const,
          explanation: "…",
        },
        { key: "ssl", label: "SSL", status: "passed" as const, explanation: "…" },
      ],
    };
    const initial = { summary: await figures(10), trust, company_name: "B" };
    const ongo = vi.fn();
    render(Overview, {
      backend,
      t,
      language: "fr" as const,
      onsessionended: () => {},
      initial,
      ready: false,
      ongo,
    });
    const fix = await screen.findByTestId("fix-legal_information");
    expect(fix).toHaveTextContent(t("fixLegal"));
    expect(screen.queryByTestId("fix-ssl")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: t("goDetails") }));
    expect(ongo).toHaveBeenCalledWith("details");
  });

  it("says what to do about a point to fix, without a button to a place the role cannot change", async () => {
    const trust = {
      score: 50,
      points: [
        {
          key: "legal_information",
          label: "Mentions légales",
          status: "failed" as const,
          explanation: "…",
        },
        {
          key: "marketplace",
          label: "Places de marché",
          status: "failed" as const,
          explanation: "…",
        },
      ],
    };
    render(Overview, {
      backend: fakeBackend(),
      t,
      language: "fr" as const,
      onsessionended: () => {},
      initial: { summary: await figures(10), trust, company_name: "B" },
      ready: false,
      can: abilitiesOf("reader"),
    });
    const fix = await screen.findByTestId("fix-legal_information");
    expect(fix).toHaveTextContent(t("fixLegal"));
    expect(screen.queryByRole("button", { name: t("goDetails") })).toBeNull();
    expect(screen.getByRole("button", { name: t("goSupport") })).toBeInTheDocument();
  });

  it("drops the answer for a period no longer shown", async () => {
    const backend = fakeBackend();
    backend.dashboardSnapshot.mockResolvedValue({ summary: null, trust: null, company_name: null });
    backend.trustIndex.mockResolvedValue(await fixtureBackend(1).trustIndex());
    const base = await figures(100);
    backend.dashboardSummary.mockResolvedValueOnce({ ...base, new_reviews: 30 });
    render(Overview, { backend, t, language: "fr" as const, onsessionended: () => {} });
    await waitFor(() => expect(screen.getByTestId("kpi-new")).toHaveTextContent("30"));

    const week = deferred<typeof base>();
    const year = deferred<typeof base>();
    backend.dashboardSummary.mockReturnValueOnce(week.promise).mockReturnValueOnce(year.promise);
    await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "7" } });
    await fireEvent.change(screen.getByTestId("period-pick"), { target: { value: "365" } });
    year.resolve({ ...base, new_reviews: 365 });
    await waitFor(() => expect(screen.getByTestId("kpi-new")).toHaveTextContent("365"));
    week.resolve({ ...base, new_reviews: 7 });
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.getByTestId("kpi-new")).toHaveTextContent("365");
  });
});

describe("Overview's reviews by establishment", () => {
  const trust = {
    score: 50,
    points: [{ key: "ssl", label: "SSL", status: "passed" as const, explanation: "…" }],
  };
  const place = (
    id: string,
    name: string,
    reviews: number,
    average: number | null,
    response_rate: number | null,
    closed = false,
  ): Establishment => ({
    id,
    name,
    address: null,
    postal_code: null,
    city: null,
    closed,
    main: false,
    reviews,
    average,
    response_rate,
  });
  async function show(establishments: Establishment[]) {
    const props = {
      backend: fakeBackend(),
      t,
      language: "fr" as const,
      onsessionended: () => {},
      initial: { summary: await figures(10), trust, company_name: "B" },
      ready: false,
      establishments,
    };
    const view = render(Overview, props);
    await screen.findByTestId("trust");
    return { view, props };
  }
  /** A row's cells as read: name, published reviews, average, response rate. */
  const cells = (id: string) =>
    Array.from(screen.getByTestId(`trust-establishment-${id}`).children, (c) =>
      (c.textContent ?? "").replace(/[ \n\t]+/g, " ").trim(),
    );

  it("shows each establishment's reviews, average and response rate in the trust card", async () => {
    await show([
      place("et_co", "Centre", 320, 4.2, 87.5),
      place("et_gare", "Gare", 12, 3.5, 100),
      place("et_port", "Port", 0, null, null, true),
    ]);
    const table = within(screen.getByTestId("trust")).getByTestId("trust-by-establishment");
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(cells("et_co")).toEqual(["Centre", "320", "4,2/5", "87,5\u202f%"]);
    expect(cells("et_gare")).toEqual(["Gare", "12", "3,5/5", "100\u202f%"]);
    expect(cells("et_port")).toEqual(["Port (fermé)", "0", "–", "–"]);
    expect(screen.getByTestId("trust")).toHaveTextContent(t("trustByEstablishmentTitle"));
    expect(screen.getByTestId("trust")).toHaveTextContent(t("trustByEstablishmentHelp"));
    // The company's points stay as they are, once, above the table.
    expect(screen.getByTestId("trust-score")).toHaveTextContent("50");
  });

  it("saves the report of the establishment chosen in the top bar, or of all", async () => {
    const { view, props } = await show([place("et_co", "Centre", 320, 4.2, 87.5)]);
    props.backend.saveMonthlyReport.mockResolvedValue(2048);
    await fireEvent.click(screen.getByTestId("monthly-report"));
    await waitFor(() => expect(props.backend.saveMonthlyReport).toHaveBeenLastCalledWith(null));
    expect(await screen.findByTestId("report-notice")).toHaveTextContent(t("reportSaved"));
    await view.rerender({ ...props, establishment: "et_gare" });
    await fireEvent.click(screen.getByTestId("monthly-report"));
    await waitFor(() =>
      expect(props.backend.saveMonthlyReport).toHaveBeenLastCalledWith("et_gare"),
    );
  });

  it("shows no table for a single establishment", async () => {
    const { view, props } = await show([place("et_co", "Centre", 320, 4.2, 87.5)]);
    expect(screen.queryByTestId("trust-by-establishment")).toBeNull();
    expect(screen.queryByTestId("trust-establishment-et_co")).toBeNull();
    expect(screen.getByTestId("trust")).not.toHaveTextContent(t("trustByEstablishmentHelp"));
    // A second one (added in the settings) brings it.
    await view.rerender({
      ...props,
      establishments: [...props.establishments, place("et_gare", "Gare", 1, 5, 0)],
    });
    expect(await screen.findByTestId("trust-by-establishment")).toBeInTheDocument();
    expect(cells("et_gare")).toEqual(["Gare", "1", "5,0/5", "0\u202f%"]);
  });
});
