// @vitest-environment happy-dom
// The login screen: the address is judged once left, a link is asked for (or a password
// login made), the button waits while the Rust side answers, and its errors are shown.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { LinkSent, SessionView } from "../lib/bindings";
import { translator } from "../lib/i18n";
import {
  aLinkSent,
  aSession,
  deferred,
  errorBody,
  fakeBackend,
  type FakeBackend,
} from "../test/fakeBackend";
import Login from "./Login.svelte";

const t = translator("fr");

function renderLogin(backend: FakeBackend = fakeBackend()) {
  const props = {
    backend,
    t,
    language: "fr" as const,
    onsent: vi.fn(),
    onsignedin: vi.fn(),
    onforgot: vi.fn(),
    ondemo: vi.fn(),
    onhelp: vi.fn(),
  };
  render(Login, { props });
  const email = screen.getByLabelText(t("emailLabel"));
  return { backend, props, email };
}

const sendButton = () => screen.getByRole("button", { name: t("sendLink") });

describe("Login", () => {
  it("says the address is missing, and asks nothing, when sent empty", async () => {
    const { backend, email } = renderLogin();
    await fireEvent.click(sendButton());
    expect(screen.getByText("Saisissez votre adresse e-mail.")).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(backend.requestLoginLink).not.toHaveBeenCalled();
  });

  it("judges the address only once the field is left", async () => {
    const { email } = renderLogin();
    await fireEvent.input(email, { target: { value: "marie@" } });
    expect(screen.queryByText(t("emailInvalid"))).not.toBeInTheDocument();
    await fireEvent.blur(email);
    expect(screen.getByText(t("emailInvalid"))).toBeInTheDocument();
    await fireEvent.input(email, { target: { value: "marie@boulangerie-dupont.fr" } });
    expect(screen.queryByText(t("emailInvalid"))).not.toBeInTheDocument();
    expect(screen.getByText(t("emailValid"))).toBeInTheDocument();
  });

  it("waits for the link with a disabled button, then hands over what was sent", async () => {
    const { backend, props, email } = renderLogin();
    const answer = deferred<LinkSent>();
    backend.requestLoginLink.mockReturnValue(answer.promise);

    await fireEvent.input(email, { target: { value: "  marie@boulangerie-dupont.fr " } });
    await fireEvent.click(sendButton());

    const waiting = screen.getByRole("button", { name: "Envoi en cours…" });
    expect(waiting).toBeDisabled();
    expect(backend.requestLoginLink).toHaveBeenCalledWith("marie@boulangerie-dupont.fr");
    expect(props.onsent).not.toHaveBeenCalled();

    const sent = aLinkSent();
    answer.resolve(sent);
    await vi.waitFor(() => expect(props.onsent).toHaveBeenCalledWith(sent));
    expect(sendButton()).toBeEnabled();
  });

  it("shows the server's message when the link cannot be sent, and lets the user retry", async () => {
    const { backend, props, email } = renderLogin();
    backend.requestLoginLink.mockRejectedValue(
      errorBody("Trop de demandes : réessayez dans une minute.", "rate_limited"),
    );
    await fireEvent.input(email, { target: { value: "marie@boulangerie-dupont.fr" } });
    await fireEvent.click(sendButton());

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Trop de demandes : réessayez dans une minute.");
    expect(sendButton()).toBeEnabled();
    expect(props.onsent).not.toHaveBeenCalled();
  });

  it("logs in with a password, which is needed before anything is asked", async () => {
    const { backend, props, email } = renderLogin();
    const answer = deferred<SessionView>();
    backend.passwordLogin.mockReturnValue(answer.promise);

    await fireEvent.click(screen.getByRole("button", { name: t("usePassword") }));
    await fireEvent.input(email, { target: { value: "marie@boulangerie-dupont.fr" } });
    const submit = screen.getByRole("button", { name: t("passwordSubmit") });
    await fireEvent.click(submit);
    expect(backend.passwordLogin).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByLabelText(t("passwordLabel")), {
      target: { value: "s3cret-pass" },
    });
    await fireEvent.click(submit);
    expect(screen.getByRole("button", { name: t("sending") })).toBeDisabled();
    expect(backend.passwordLogin).toHaveBeenCalledWith(
      "marie@boulangerie-dupont.fr",
      "s3cret-pass",
    );

    const session = aSession();
    answer.resolve(session);
    await vi.waitFor(() => expect(props.onsignedin).toHaveBeenCalledWith(session));
    expect(screen.getByLabelText(t("passwordLabel"))).toHaveValue("");
  });

  it("shows a wrong password's message, cleared when going back to the link", async () => {
    const { backend, email } = renderLogin();
    backend.passwordLogin.mockRejectedValue(
      errorBody("Adresse ou mot de passe incorrect.", "invalid_credentials"),
    );
    await fireEvent.click(screen.getByRole("button", { name: t("usePassword") }));
    await fireEvent.input(email, { target: { value: "marie@boulangerie-dupont.fr" } });
    await fireEvent.input(screen.getByLabelText(t("passwordLabel")), {
      target: { value: "wrong" },
    });
    await fireEvent.click(screen.getByRole("button", { name: t("passwordSubmit") }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Adresse ou mot de passe incorrect.",
    );
    await fireEvent.click(screen.getByRole("button", { name: t("useLink") }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the platform's status below the form, checking first", async () => {
    const { backend } = renderLogin();
    expect(screen.getByTestId("platform-status")).toHaveTextContent(t("statusChecking"));
    expect(backend.platformStatus).toHaveBeenCalledOnce();
  });

  it("opens the help, the demo and the reset screens", async () => {
    const { props } = renderLogin();
    await fireEvent.click(screen.getByRole("button", { name: t("helpLink") }));
    await fireEvent.click(screen.getByRole("button", { name: t("demoButton") }));
    await fireEvent.click(screen.getByRole("button", { name: t("usePassword") }));
    await fireEvent.click(screen.getByRole("button", { name: t("forgotPassword") }));
    expect(props.onhelp).toHaveBeenCalledOnce();
    expect(props.ondemo).toHaveBeenCalledOnce();
    expect(props.onforgot).toHaveBeenCalledOnce();
  });
});
