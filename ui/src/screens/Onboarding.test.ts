// @vitest-environment happy-dom
// The first-login form: it starts from what the server knows, checks each field once left
// (SIRET, postal code, website, phones by their rules), and sends the trimmed values.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Me } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { errorBody, fakeBackend } from "../test/fakeBackend";
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
};

function renderOnboarding() {
  const backend = fakeBackend();
  const props = {
    backend,
    t,
    language: "fr" as const,
    me,
    ondone: vi.fn(),
    onsessionended: vi.fn(),
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
});
