// @vitest-environment happy-dom
// The first-login form: it starts from what the server knows, checks each field once left
// (SIRET, postal code, website, phones by their rules), and sends the trimmed values. An
// invited colleague gives only their own details, and so does, in Settings, a role that may
// not change the company's.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Me } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { abilitiesOf, errorBody, fakeBackend } from "../test/fakeBackend";
import Onboarding from "./Onboarding.svelte";

const t = translator("fr");

const me: Me = {
  user_id: "u-1",
  email: "marie@boulangerie-dupont.fr",
  locale: "fr",
  onboarding_required: true,
  has_password: false,
  person: { first_name: null, last_name: null, job_title: null, phone: null },
  company: {
    legal_name: "Boulangerie Dupont",
    siret: null,
    address: null,
    postal_code: null,
    city: null,
    website: null,
    sector: null,
    phone: null,
  },
  company_id: "c-1",
  company_onboarding_required: true,
  role: "owner",
  can: abilitiesOf("owner"),
  companies: [{ company_id: "c-1", name: "Boulangerie Dupont", role: "owner" }],
  limited_establishments: false,
};

// A colleague invited as manager, at their first login: the company is already described.
const colleague: Me = {
  ...me,
  user_id: "u-2",
  email: "paul@boulangerie-dupont.fr",
  company_onboarding_required: false,
  role: "manager",
  can: abilitiesOf("manager"),
  company: { ...me.company, siret: "73282932000074", city: "Paris" },
};

function renderOnboarding(account: Me = me, editing = false) {
  const backend = fakeBackend();
  const props = {
    backend,
    t,
    language: "fr" as const,
    me: account,
    ondone: vi.fn(),
    onsessionended: vi.fn(),
    editing,
  };
  render(Onboarding, { props });
  return { backend, props };
}

const input = (key: string) => screen.getByTestId(key);
async function fill(key: string, value: string) {
  await fireEvent.input(input(key), { target: { value } });
  await fireEvent.blur(input(key));
}

const valid: Record<string, string> = {
  "company.siret": "732 829 320 00074",
  "company.address": "1 rue du Four",
  "company.postal_code": "75006",
  "company.city": "Paris",
  "company.website": "boulangerie-dupont.fr",
  "company.sector": "Boulangerie",
  "company.phone": "01 23 45 67 89",
  "person.first_name": "Marie",
  "person.last_name": "Dupont",
  "person.job_title": "Gérante",
  "person.phone": "06 12 34 56 78",
};

describe("Onboarding", () => {
  it("starts from what the server knows, and lists every field", () => {
    renderOnboarding();
    expect(screen.getByLabelText(t("legalName"))).toHaveValue("Boulangerie Dupont");
    expect(screen.getByLabelText(t("siret"))).toHaveValue("");
    expect(screen.getAllByRole("textbox")).toHaveLength(12);
  });

  it("says under each field what its rule refuses, once left", async () => {
    renderOnboarding();
    await fill("company.siret", "123");
    await fill("company.postal_code", "99000");
    await fill("company.website", "pas un site");
    await fill("person.phone", "12");
    expect(screen.getByTestId("company.siret-error")).toHaveTextContent(t("siretInvalid"));
    expect(screen.getByTestId("company.postal_code-error")).toHaveTextContent(
      t("postalCodeInvalid"),
    );
    expect(screen.getByTestId("company.website-error")).toHaveTextContent(t("websiteInvalid"));
    expect(screen.getByTestId("person.phone-error")).toHaveTextContent(t("phoneInvalid"));
    expect(input("company.siret")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByTestId("company.city-error")).not.toBeInTheDocument();
  });

  it("sends nothing while fields are missing", async () => {
    const { backend } = renderOnboarding();
    await fireEvent.click(screen.getByRole("button", { name: t("onboardingSubmit") }));
    expect(screen.getByTestId("onboarding-error")).toHaveTextContent(t("fieldsToFix"));
    expect(screen.getByTestId("company.city-error")).toHaveTextContent(t("required"));
    expect(screen.queryByTestId("company.legal_name-error")).not.toBeInTheDocument();
    expect(backend.submitOnboarding).not.toHaveBeenCalled();
  });

  it("sends the trimmed values, and shows the server's word on a field", async () => {
    const { backend, props } = renderOnboarding();
    backend.submitOnboarding.mockRejectedValue(
      errorBody("Corrigez les champs signalés.", "validation_failed", {
        fields: [
          {
            field: "company.siret",
            code: "siret_taken",
            message_fr: "Ce SIRET est déjà utilisé.",
            message_en: "This SIRET is already used.",
          },
        ],
      }),
    );
    for (const [key, value] of Object.entries(valid)) await fill(key, ` ${value} `);
    await fireEvent.click(screen.getByRole("button", { name: t("onboardingSubmit") }));

    expect(backend.submitOnboarding).toHaveBeenCalledWith({
      company: {
        legal_name: "Boulangerie Dupont",
        siret: "732 829 320 00074",
        address: "1 rue du Four",
        postal_code: "75006",
        city: "Paris",
        website: "boulangerie-dupont.fr",
        sector: "Boulangerie",
        phone: "01 23 45 67 89",
      },
      person: {
        first_name: "Marie",
        last_name: "Dupont",
        job_title: "Gérante",
        phone: "06 12 34 56 78",
      },
    });
    expect(await screen.findByTestId("company.siret-error")).toHaveTextContent(
      "Ce SIRET est déjà utilisé.",
    );
    expect(screen.getByTestId("onboarding-error")).toHaveTextContent(
      "Corrigez les champs signalés.",
    );
    expect(props.ondone).not.toHaveBeenCalled();
  });

  it("edits the details later with the same checks, marks the public fields, and stays open", async () => {
    const done: Me = {
      ...me,
      onboarding_required: false,
      company: { ...me.company, siret: "73282932000074", city: "Paris" },
      person: { ...me.person, first_name: "Marie" },
    };
    const backend = fakeBackend();
    const props = {
      backend,
      t,
      language: "fr" as const,
      me: done,
      ondone: vi.fn(),
      onsessionended: vi.fn(),
      editing: true,
    };
    render(Onboarding, { props });
    expect(screen.getByTestId("company-details")).toHaveTextContent(t("detailsPublic"));
    expect(screen.getByText(t("city")).closest("label")).toHaveTextContent(t("publicField"));
    expect(screen.getByText(t("siret")).closest("label")).not.toHaveTextContent(t("publicField"));
    for (const [key, value] of Object.entries(valid)) await fill(key, value);
    await fill("company.siret", "732 829 320 00075");
    expect(screen.getByTestId("company.siret-error")).toHaveTextContent(t("siretInvalid"));
    await fireEvent.click(screen.getByTestId("onboarding-submit"));
    expect(backend.submitOnboarding).not.toHaveBeenCalled();

    backend.submitOnboarding.mockResolvedValue(done);
    await fill("company.siret", "35600000000001");
    await fireEvent.click(screen.getByTestId("onboarding-submit"));
    expect(await screen.findByTestId("details-saved")).toHaveTextContent(t("detailsSaved"));
    expect(props.ondone).toHaveBeenCalledWith(done);
    expect(screen.getByTestId("onboarding-submit")).toHaveTextContent(t("detailsSubmit"));
  });

  it("leaves the company's details out for a manager who sees some establishments only", async () => {
    const onboarded = {
      ...colleague,
      onboarding_required: false,
      person: { ...colleague.person, first_name: "Paul" },
    };
    renderOnboarding(onboarded, true);
    expect(screen.getByTestId("company.address")).toBeTruthy();
    cleanup();
    renderOnboarding({ ...onboarded, limited_establishments: true }, true);
    expect(screen.queryByTestId("company.address")).toBeNull();
    expect(screen.getByTestId("person.first_name")).toBeTruthy();
  });

  it("asks an invited colleague only their own details, the job title optional", async () => {
    const { backend, props } = renderOnboarding(colleague);
    expect(screen.getByTestId("onboarding-join")).toHaveTextContent(
      "Vous rejoignez l'équipe de Boulangerie Dupont",
    );
    expect(screen.getAllByRole("textbox")).toHaveLength(4);
    expect(screen.queryByTestId("company.siret")).not.toBeInTheDocument();
    expect(screen.getByText(t("jobTitle")).closest("label")).toHaveTextContent(t("optional"));

    await fill("person.first_name", " Paul ");
    await fill("person.last_name", "Martin");
    await fill("person.phone", "06 12 34 56 78");
    await fill("person.job_title", "");
    expect(screen.queryByTestId("person.job_title-error")).not.toBeInTheDocument();

    const done = { ...colleague, onboarding_required: false };
    backend.submitOnboarding.mockResolvedValue(done);
    await fireEvent.click(screen.getByTestId("onboarding-submit"));
    expect(backend.submitOnboarding).toHaveBeenCalledWith({
      company: null,
      person: { first_name: "Paul", last_name: "Martin", job_title: "", phone: "06 12 34 56 78" },
    });
    await vi.waitFor(() => expect(props.ondone).toHaveBeenCalledWith(done));
  });

  it("still asks an invited colleague their name", async () => {
    const { backend } = renderOnboarding(colleague);
    await fireEvent.click(screen.getByTestId("onboarding-submit"));
    expect(screen.getByTestId("person.first_name-error")).toHaveTextContent(t("required"));
    expect(backend.submitOnboarding).not.toHaveBeenCalled();
  });

  it("lets a reader change only their own details in Settings", async () => {
    const reader: Me = {
      ...colleague,
      onboarding_required: false,
      role: "reader",
      can: abilitiesOf("reader"),
      person: { first_name: "Paul", last_name: "Martin", job_title: null, phone: "0612345678" },
    };
    const { backend } = renderOnboarding(reader, true);
    expect(screen.getByTestId("company-details")).toHaveTextContent(t("myDetailsTitle"));
    expect(screen.queryByTestId("company.legal_name")).not.toBeInTheDocument();
    backend.submitOnboarding.mockResolvedValue(reader);
    await fill("person.first_name", "Paul-Henri");
    await fireEvent.click(screen.getByTestId("onboarding-submit"));
    expect(backend.submitOnboarding).toHaveBeenCalledWith({
      company: null,
      person: { first_name: "Paul-Henri", last_name: "Martin", job_title: "", phone: "0612345678" },
    });
    expect(await screen.findByTestId("details-saved")).toBeInTheDocument();
  });
});
