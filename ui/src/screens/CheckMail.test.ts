// @vitest-environment happy-dom
// The "check your mail" screen: the code from the e-mail logs in, the link's time runs
// out on screen, and another link can be asked for once the server's wait is over.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
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
import CheckMail from "./CheckMail.svelte";

const t = translator("fr");

function renderCheckMail(sent: LinkSent = aLinkSent(), backend: FakeBackend = fakeBackend()) {
  const props = { backend, t, sent, onsignedin: vi.fn(), onback: vi.fn() };
  render(CheckMail, { props });
  return { backend, props };
}

const codeBox = () => screen.getByLabelText(t("codeLabel"));
const submit = () => screen.getByRole("button", { name: t("codeSubmit") });

afterEach(() => {
  vi.useRealTimers();
});

describe("CheckMail", () => {
  it("says where the link went and how long it lasts", () => {
    renderCheckMail(aLinkSent({ email: "marie@boulangerie-dupont.fr", expires_in: 900 }));
    expect(screen.getByTestId("sent-to")).toHaveTextContent("marie@boulangerie-dupont.fr");
    expect(screen.getByTestId("expires-in")).toHaveTextContent(`${t("checkMailExpires")} 15 min.`);
  });

  it("asks nothing while the code box is empty", async () => {
    const { backend } = renderCheckMail();
    await fireEvent.input(codeBox(), { target: { value: "   " } });
    await fireEvent.click(submit());
    expect(backend.submitLoginCode).not.toHaveBeenCalled();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("waits for the code's check with the buttons disabled, then signs in", async () => {
    const { backend, props } = renderCheckMail();
    const answer = deferred<SessionView>();
    backend.submitLoginCode.mockReturnValue(answer.promise);

    await fireEvent.input(codeBox(), { target: { value: " 123456 " } });
    await fireEvent.click(submit());
    expect(backend.submitLoginCode).toHaveBeenCalledWith("123456");
    expect(submit()).toBeDisabled();
    expect(screen.getByRole("button", { name: t("resend") })).toBeDisabled();

    const session = aSession();
    answer.resolve(session);
    await vi.waitFor(() => expect(props.onsignedin).toHaveBeenCalledWith(session));
    expect(submit()).toBeEnabled();
  });

  it("shows why a code was refused, and keeps it to be corrected", async () => {
    const { backend, props } = renderCheckMail();
    backend.submitLoginCode.mockRejectedValue(
      errorBody("Ce code n'est pas le bon. Vérifiez l'e-mail le plus récent.", "invalid_grant"),
    );
    await fireEvent.input(codeBox(), { target: { value: "000000" } });
    await fireEvent.click(submit());

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Ce code n'est pas le bon. Vérifiez l'e-mail le plus récent.",
    );
    expect(codeBox()).toHaveValue("000000");
    expect(submit()).toBeEnabled();
    expect(props.onsignedin).not.toHaveBeenCalled();
  });

  it("counts down until another link may be asked for", async () => {
    vi.useFakeTimers();
    renderCheckMail(aLinkSent({ resend_after: 3 }));
    const resend = screen.getByTestId("resend");
    expect(resend).toBeDisabled();
    expect(resend).toHaveTextContent(`${t("resendIn")} 3 s`);

    await vi.advanceTimersByTimeAsync(3000);
    expect(resend).toBeEnabled();
    expect(resend).toHaveTextContent(t("resend"));
  });

  it("says the link expired once its time is over", async () => {
    vi.useFakeTimers();
    renderCheckMail(aLinkSent({ expires_in: 2 }));
    expect(screen.queryByText(t("checkMailExpired"))).not.toBeInTheDocument();
    await vi.advanceTimersByTimeAsync(2000);
    expect(screen.getByText(t("checkMailExpired"))).toBeInTheDocument();
    expect(screen.queryByTestId("expires-in")).not.toBeInTheDocument();
  });

  it("sends another link and says so", async () => {
    const { backend } = renderCheckMail(aLinkSent({ email: "marie@boulangerie-dupont.fr" }));
    backend.requestLoginLink.mockResolvedValue(aLinkSent({ resend_after: 60 }));
    await fireEvent.click(screen.getByRole("button", { name: t("resend") }));

    expect(await screen.findByRole("status")).toHaveTextContent(t("resent"));
    expect(backend.requestLoginLink).toHaveBeenCalledWith("marie@boulangerie-dupont.fr");
    expect(screen.getByTestId("resend")).toBeDisabled();
    expect(screen.getByTestId("resend")).toHaveTextContent(`${t("resendIn")} 60 s`);
  });

  it("shows a refused resend and waits as long as the server asks", async () => {
    const { backend } = renderCheckMail();
    backend.requestLoginLink.mockRejectedValue(
      errorBody("Un lien vient déjà d'être envoyé.", "rate_limited", { retry_after: 30 }),
    );
    await fireEvent.click(screen.getByRole("button", { name: t("resend") }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Un lien vient déjà d'être envoyé.");
    expect(screen.getByTestId("resend")).toBeDisabled();
    expect(screen.getByTestId("resend")).toHaveTextContent(`${t("resendIn")} 30 s`);
  });

  it("goes back to change the address", async () => {
    const { props } = renderCheckMail();
    await fireEvent.click(screen.getByRole("button", { name: t("changeEmail") }));
    expect(props.onback).toHaveBeenCalledOnce();
  });
});
