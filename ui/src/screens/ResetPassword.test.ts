// @vitest-environment happy-dom
// The two screens of a password reset, which share ActionForm: asking for the link
// (ForgotPassword) and saving the new password (NewPassword).
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { LinkSent } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { aLinkSent, deferred, errorBody, fakeBackend } from "../test/fakeBackend";
import ForgotPassword from "./ForgotPassword.svelte";
import NewPassword from "./NewPassword.svelte";

const t = translator("fr");

describe("ForgotPassword", () => {
  function renderForgot(email = "") {
    const backend = fakeBackend();
    render(ForgotPassword, { props: { backend, t, email, onback: vi.fn() } });
    return backend;
  }
  const submit = () => screen.getByRole("button", { name: t("forgotSubmit") });

  it("says what is wrong with the address before asking anything", async () => {
    const backend = renderForgot();
    await fireEvent.click(submit());
    expect(screen.getByRole("alert")).toHaveTextContent(t("emailEmpty"));
    await fireEvent.input(screen.getByLabelText(t("emailLabel")), { target: { value: "marie@" } });
    await fireEvent.click(submit());
    expect(screen.getByRole("alert")).toHaveTextContent(t("emailInvalid"));
    expect(backend.requestPasswordReset).not.toHaveBeenCalled();
  });

  it("waits with the button disabled, then says the link was sent", async () => {
    const backend = renderForgot(" marie@boulangerie-dupont.fr ");
    const answer = deferred<LinkSent>();
    backend.requestPasswordReset.mockReturnValue(answer.promise);
    await fireEvent.click(submit());
    expect(backend.requestPasswordReset).toHaveBeenCalledWith("marie@boulangerie-dupont.fr");
    expect(submit()).toBeDisabled();

    answer.resolve(aLinkSent());
    expect(await screen.findByTestId("reset-sent")).toHaveTextContent(t("resetSentBody"));
  });

  it("shows the server's message and lets the user try again", async () => {
    const backend = renderForgot("marie@boulangerie-dupont.fr");
    backend.requestPasswordReset.mockRejectedValue(errorBody("Trop de demandes.", "rate_limited"));
    await fireEvent.click(submit());
    expect(await screen.findByRole("alert")).toHaveTextContent("Trop de demandes.");
    expect(submit()).toBeEnabled();
  });
});

describe("NewPassword", () => {
  function renderNew() {
    const backend = fakeBackend();
    const ondone = vi.fn();
    render(NewPassword, {
      props: { backend, t, email: "marie@boulangerie-dupont.fr", ondone, onback: vi.fn() },
    });
    return { backend, ondone };
  }
  const submit = () => screen.getByRole("button", { name: t("savePassword") });
  async function type(password: string, confirm: string) {
    await fireEvent.input(screen.getByLabelText(t("newPasswordLabel")), {
      target: { value: password },
    });
    await fireEvent.input(screen.getByLabelText(t("confirmPasswordLabel")), {
      target: { value: confirm },
    });
  }

  it("refuses two different passwords", async () => {
    const { backend } = renderNew();
    await type("un-mot-de-passe", "un-autre");
    await fireEvent.click(submit());
    expect(screen.getByRole("alert")).toHaveTextContent(t("passwordsDiffer"));
    expect(backend.confirmPasswordReset).not.toHaveBeenCalled();
  });

  it("saves with the button disabled meanwhile, then is done", async () => {
    const { backend, ondone } = renderNew();
    const answer = deferred<void>();
    backend.confirmPasswordReset.mockReturnValue(answer.promise);
    await type("un-mot-de-passe", "un-mot-de-passe");
    await fireEvent.click(submit());
    expect(backend.confirmPasswordReset).toHaveBeenCalledWith("un-mot-de-passe");
    expect(submit()).toBeDisabled();

    answer.resolve();
    await vi.waitFor(() => expect(ondone).toHaveBeenCalledOnce());
    expect(screen.getByLabelText(t("newPasswordLabel"))).toHaveValue("");
  });

  it("shows why the password was refused", async () => {
    const { backend, ondone } = renderNew();
    backend.confirmPasswordReset.mockRejectedValue(
      errorBody("Le lien a expiré. Demandez-en un nouveau.", "code_expired"),
    );
    await type("un-mot-de-passe", "un-mot-de-passe");
    await fireEvent.click(submit());
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Le lien a expiré. Demandez-en un nouveau.",
    );
    expect(submit()).toBeEnabled();
    expect(ondone).not.toHaveBeenCalled();
  });
});
