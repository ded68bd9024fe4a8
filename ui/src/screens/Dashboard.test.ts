// @vitest-environment happy-dom
// The logged-in space's choice of company: offered to a person in several (each with their
// role there) — asked first after a login, then in the top bar — it acts for the one
// chosen and starts again from its overview; a refusal is said and the company in force
// stays chosen.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { CompanyChoice, Me } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { aMe, aSession, errorBody, fakeBackend } from "../test/fakeBackend";
import Dashboard from "./Dashboard.svelte";

const t = translator("fr");

const companies: CompanyChoice[] = [
  { company_id: "c-1", name: "Boulangerie Dupont", role: "owner" },
  { company_id: "c-2", name: "Pâtisserie Martin", role: "reader" },
];

function renderDashboard(me: Me, fresh = false) {
  const backend = fakeBackend();
  backend.me.mockResolvedValue(me);
  const props = {
    backend,
    t,
    language: "fr" as const,
    session: aSession(),
    fresh,
    onloggedout: vi.fn(),
    onsessionended: vi.fn(),
    onlanguage: vi.fn(),
  };
  render(Dashboard, { props });
  return { backend, props };
}

describe("Dashboard's choice of company", () => {
  it("is not offered to a person in one company", async () => {
    renderDashboard(aMe());
    expect(await screen.findByTestId("company-name")).toHaveTextContent("Boulangerie Dupont");
    expect(screen.queryByTestId("company-switch")).not.toBeInTheDocument();
  });

  it("acts for the company chosen, back on its overview", async () => {
    const { backend } = renderDashboard(aMe("owner", { companies }));
    const select = await screen.findByTestId("company-switch");
    expect(select).toHaveValue("c-1");
    expect(
      within(select).getByRole("option", { name: "Pâtisserie Martin (Lecture seule)" }),
    ).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("nav-settings"));
    expect(screen.getByTestId("settings")).toBeInTheDocument();
    const other = aMe("reader", {
      company_id: "c-2",
      company: { ...aMe().company, legal_name: "Pâtisserie Martin" },
      companies,
    });
    backend.switchCompany.mockResolvedValue(other);
    await fireEvent.change(select, { target: { value: "c-2" } });
    expect(backend.switchCompany).toHaveBeenCalledWith("c-2");
    await waitFor(() =>
      expect(screen.getByTestId("company-name")).toHaveTextContent("Pâtisserie Martin"),
    );
    expect(screen.queryByTestId("settings")).not.toBeInTheDocument();
    expect(screen.getByTestId("company-switch")).toHaveValue("c-2");
  });

  it("says why it could not switch, and stays with the company in force", async () => {
    const { backend } = renderDashboard(aMe("owner", { companies }));
    const select = await screen.findByTestId("company-switch");
    backend.switchCompany.mockRejectedValue(
      errorBody("Vous ne faites plus partie de cette entreprise.", "forbidden"),
    );
    await fireEvent.change(select, { target: { value: "c-2" } });
    expect(await screen.findByTestId("company-switch-error")).toHaveTextContent(
      "Vous ne faites plus partie de cette entreprise.",
    );
    expect(select).toHaveValue("c-1");
    expect(screen.getByTestId("company-name")).toHaveTextContent("Boulangerie Dupont");
  });

  it("asks a person of several companies, just logged in, which one first", async () => {
    const { backend } = renderDashboard(aMe("owner", { companies }), true);
    const chooser = await screen.findByTestId("company-chooser");
    const choices = within(chooser).getAllByTestId("company-choice");
    expect(choices).toHaveLength(2);
    expect(choices[0]).toHaveTextContent("la dernière utilisée");
    expect(screen.queryByTestId("company-name")).not.toBeInTheDocument();
    backend.switchCompany.mockResolvedValue(
      aMe("reader", {
        company_id: "c-2",
        company: { ...aMe().company, legal_name: "Pâtisserie Martin" },
        companies,
      }),
    );
    await fireEvent.click(choices[1]!);
    expect(backend.switchCompany).toHaveBeenCalledWith("c-2");
    await waitFor(() =>
      expect(screen.getByTestId("company-name")).toHaveTextContent("Pâtisserie Martin"),
    );
    expect(screen.queryByTestId("company-chooser")).not.toBeInTheDocument();
  });

  it("does not ask again when the session was kept from last time", async () => {
    renderDashboard(aMe("owner", { companies }), false);
    expect(await screen.findByTestId("company-name")).toHaveTextContent("Boulangerie Dupont");
    expect(screen.queryByTestId("company-chooser")).not.toBeInTheDocument();
  });

  it("shows one establishment's figures once chosen in the top bar, then all of them again", async () => {
    const backend = fakeBackend();
    backend.me.mockResolvedValue(aMe());
    const shop = (id: string, name: string, main: boolean) => ({
      id,
      name,
      address: null,
      postal_code: null,
      city: null,
      closed: false,
      main,
      reviews: 10,
      average: 4,
      response_rate: 50,
    });
    backend.dashboardSnapshot.mockResolvedValue({ summary: null, trust: null, company_name: null });
    backend.establishments.mockResolvedValue([
      shop("et_main", "Centre", true),
      shop("et_gare", "Gare", false),
    ]);
    render(Dashboard, {
      props: {
        backend,
        t,
        language: "fr" as const,
        session: aSession(),
        onloggedout: vi.fn(),
        onsessionended: vi.fn(),
        onlanguage: vi.fn(),
      },
    });
    const select = await screen.findByTestId("establishment-switch");
    const lastPlace = () => {
      const calls = backend.dashboardSummary.mock.calls;
      return calls[calls.length - 1]?.[2];
    };
    await waitFor(() => expect(backend.dashboardSummary).toHaveBeenCalled());
    expect(lastPlace()).toBeNull();
    expect(screen.getByTestId("company-name")).toHaveTextContent("Boulangerie Dupont");
    expect(within(select).getByRole("option", { name: t("allEstablishments") })).toHaveValue("");
    await fireEvent.change(select, { target: { value: "et_gare" } });
    await waitFor(() => expect(lastPlace()).toBe("et_gare"));
    // The heading names the establishment chosen, and the invitation rate follows it.
    expect(screen.getByTestId("company-name")).toHaveTextContent(/^Gare$/);
    await waitFor(() => expect(backend.invitationSummary).toHaveBeenLastCalledWith("et_gare"));
    await fireEvent.change(screen.getByTestId("establishment-switch"), { target: { value: "" } });
    await waitFor(() => expect(lastPlace()).toBeNull());
    expect(screen.getByTestId("company-name")).toHaveTextContent("Boulangerie Dupont");
  });

  it("offers a person who sees only some establishments all of theirs", async () => {
    const backend = fakeBackend();
    backend.me.mockResolvedValue(aMe("manager", { limited_establishments: true }));
    backend.dashboardSnapshot.mockResolvedValue({ summary: null, trust: null, company_name: null });
    const shop = (id: string, name: string) => ({
      id,
      name,
      address: null,
      postal_code: null,
      city: null,
      closed: false,
      main: false,
      reviews: 0,
      average: null,
      response_rate: null,
    });
    backend.establishments.mockResolvedValue([shop("et_gare", "Gare"), shop("et_port", "Port")]);
    render(Dashboard, {
      props: {
        backend,
        t,
        language: "fr" as const,
        session: aSession(),
        onloggedout: vi.fn(),
        onsessionended: vi.fn(),
        onlanguage: vi.fn(),
      },
    });
    const select = await screen.findByTestId("establishment-switch");
    const options = within(select).getAllByRole("option");
    expect(options[0]).toHaveTextContent(/^Tous mes établissements$/);
    expect(options[0]).toHaveValue("");
    expect(options.map((o) => o.textContent)).toEqual(["Tous mes établissements", "Gare", "Port"]);
  });

  it("shows each establishment's review figures under the company's trust index", async () => {
    const backend = fakeBackend();
    backend.me.mockResolvedValue(aMe());
    backend.dashboardSnapshot.mockResolvedValue({
      summary: null,
      trust: { score: 70, points: [] },
      company_name: null,
    });
    const shop = (id: string, name: string, reviews: number, rate: number | null) => ({
      id,
      name,
      address: null,
      postal_code: null,
      city: null,
      closed: false,
      main: false,
      reviews,
      average: reviews > 0 ? 4.5 : null,
      response_rate: rate,
    });
    backend.establishments.mockResolvedValue([
      shop("et_gare", "Gare", 8, 62.5),
      shop("et_port", "Port", 0, null),
    ]);
    render(Dashboard, {
      props: {
        backend,
        t,
        language: "fr" as const,
        session: aSession(),
        onloggedout: vi.fn(),
        onsessionended: vi.fn(),
        onlanguage: vi.fn(),
      },
    });
    const table = await screen.findByTestId("trust-by-establishment");
    expect(within(screen.getByTestId("trust")).getByTestId("trust-by-establishment")).toBe(table);
    const gare = within(table).getByTestId("trust-establishment-et_gare");
    expect(gare).toHaveTextContent("Gare");
    expect(gare).toHaveTextContent("4,5/5");
    expect(gare.textContent).toContain("62,5\u202f%");
    const port = within(table).getByTestId("trust-establishment-et_port");
    expect(port).toHaveTextContent("Port");
    expect(port).toHaveTextContent("–");
  });
});
