// @vitest-environment happy-dom
// Settings › Équipe: every role sees the members and the open invitations; only an owner
// invites (the typed address kept when the server refuses it), sends again, withdraws,
// changes a role (the server's refusal said in the row, the role in force shown again)
// and removes a member, the last only once confirmed.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Establishment, MemberInvitation, Role, Team as TeamData } from "../lib/bindings";
import { translator } from "../lib/i18n";
import { aMe, errorBody, fakeBackend } from "../test/fakeBackend";
import Team from "./Team.svelte";

const t = translator("fr");

const pending: MemberInvitation = {
  id: "inv-1",
  email: "lea@boulangerie-dupont.fr",
  role: "reader",
  sent_at: "2026-11-20T09:00:00Z",
  expires_at: "2026-11-27T09:00:00Z",
  expired: false,
  establishments: [],
};

const team = (): TeamData => ({
  members: [
    {
      user_id: "u-1",
      name: "Marie Dupont",
      email: "marie@boulangerie-dupont.fr",
      role: "owner",
      last_active_at: "2026-11-26T08:00:00Z",
      joined_at: "2026-01-10T08:00:00Z",
      establishments: [],
    },
    {
      user_id: "u-2",
      name: null,
      email: "paul@boulangerie-dupont.fr",
      role: "manager",
      last_active_at: null,
      joined_at: "2026-11-02T08:00:00Z",
      establishments: [],
    },
  ],
  invitations: [
    pending,
    {
      id: "inv-2",
      email: "hugo@boulangerie-dupont.fr",
      role: "manager",
      sent_at: "2026-11-01T09:00:00Z",
      expires_at: "2026-11-08T09:00:00Z",
      expired: true,
      establishments: [],
    },
  ],
});

const shop = (id: string, name: string, main = false, closed = false): Establishment => ({
  id,
  name,
  address: null,
  postal_code: null,
  city: null,
  closed,
  main,
  reviews: 0,
  average: null,
  response_rate: null,
});
const shops = (): Establishment[] => [shop("et_co", "Centre", true), shop("et_gare", "Gare")];

async function renderTeam(
  role: Role = "owner",
  { data = team(), places }: { data?: TeamData; places?: Establishment[] } = {},
) {
  const backend = fakeBackend();
  backend.teamMembers.mockResolvedValue(data);
  if (places) backend.establishments.mockResolvedValue(places);
  const props = {
    backend,
    t,
    language: "fr" as const,
    me: aMe(role),
    onsessionended: vi.fn(),
    onme: vi.fn(),
  };
  render(Team, { props });
  await screen.findAllByTestId("team-member");
  return { backend, props };
}

const member = (email: string) =>
  screen.getAllByTestId("team-member").find((row) => row.dataset.email === email)!;
const invitation = (email: string) =>
  screen.getAllByTestId("team-invitation").find((row) => row.dataset.email === email)!;

describe("Team", () => {
  it("shows an owner the members, the invitations, the invite form and the actions", async () => {
    await renderTeam("owner");
    const paul = member("paul@boulangerie-dupont.fr");
    // No name given: the e-mail stands for it; never used: "jamais".
    expect(paul).toHaveTextContent("paul@boulangerie-dupont.fr");
    expect(paul).toHaveTextContent(`${t("teamLastActive")} ${t("teamNever")}`);
    expect(paul).toHaveTextContent("02/11/2026");
    expect(within(paul).getByTestId("member-role")).toHaveValue("manager");
    expect(within(paul).getByTestId("member-remove")).toBeInTheDocument();
    expect(member("marie@boulangerie-dupont.fr")).toHaveTextContent("Marie Dupont");
    expect(member("marie@boulangerie-dupont.fr")).toHaveTextContent("26/11/2026");

    expect(invitation("lea@boulangerie-dupont.fr")).toHaveTextContent(t("roleReader"));
    expect(invitation("lea@boulangerie-dupont.fr")).toHaveTextContent("27/11/2026");
    expect(invitation("lea@boulangerie-dupont.fr")).not.toHaveTextContent(t("teamExpired"));
    expect(invitation("hugo@boulangerie-dupont.fr")).toHaveTextContent(t("teamExpired"));
    expect(screen.getAllByTestId("invitation-resend")).toHaveLength(2);
    expect(screen.getAllByTestId("invitation-withdraw")).toHaveLength(2);

    expect(screen.getByTestId("team-invite-email")).toBeInTheDocument();
    const roles = screen.getByTestId("team-invite-role");
    expect(roles).toHaveValue("manager");
    expect(
      within(roles)
        .getAllByRole("option")
        .map((o) => o.getAttribute("value")),
    ).toEqual(["owner", "manager", "reader"]);
  });

  it("shows a reader the same list, and nothing to change it with", async () => {
    await renderTeam("reader");
    expect(screen.getAllByTestId("team-member")).toHaveLength(2);
    expect(screen.getAllByTestId("team-invitation")).toHaveLength(2);
    expect(member("paul@boulangerie-dupont.fr")).toHaveTextContent(t("roleManager"));
    expect(screen.getByTestId("team-read-only")).toHaveTextContent(t("teamReadOnly"));
    for (const id of [
      "team-invite-email",
      "team-invite-role",
      "team-invite-send",
      "member-role",
      "member-remove",
      "invitation-resend",
      "invitation-withdraw",
    ]) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
  });

  it("offers a manager no team management either", async () => {
    await renderTeam("manager");
    expect(screen.queryByTestId("team-invite-send")).not.toBeInTheDocument();
    expect(screen.queryByTestId("member-remove")).not.toBeInTheDocument();
  });

  it("checks the address before sending, and keeps it when the server refuses it", async () => {
    const { backend } = await renderTeam();
    const field = screen.getByTestId("team-invite-email");
    await fireEvent.input(field, { target: { value: "paul@boulangerie" } });
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(screen.getByTestId("team-error")).toHaveTextContent(t("emailInvalid"));
    expect(backend.inviteMember).not.toHaveBeenCalled();

    backend.inviteMember.mockRejectedValue(
      errorBody("Cette personne fait déjà partie de l'équipe.", "already_member"),
    );
    await fireEvent.input(field, { target: { value: "paul@boulangerie-dupont.fr" } });
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(backend.inviteMember).toHaveBeenCalledWith("paul@boulangerie-dupont.fr", "manager", []);
    await vi.waitFor(() =>
      expect(screen.getByTestId("team-error")).toHaveTextContent(
        "Cette personne fait déjà partie de l'équipe.",
      ),
    );
    expect(field).toHaveValue("paul@boulangerie-dupont.fr");
    expect(screen.queryByTestId("team-invite-sent")).not.toBeInTheDocument();
  });

  it("invites a colleague with the role chosen, and lists the invitation", async () => {
    const { backend } = await renderTeam();
    const sent: MemberInvitation = { ...pending, id: "inv-3", email: "zoe@exemple.fr" };
    backend.inviteMember.mockResolvedValue(sent);
    await fireEvent.input(screen.getByTestId("team-invite-email"), {
      target: { value: "zoe@exemple.fr" },
    });
    await fireEvent.change(screen.getByTestId("team-invite-role"), {
      target: { value: "reader" },
    });
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(backend.inviteMember).toHaveBeenCalledWith("zoe@exemple.fr", "reader", []);
    expect(await screen.findByTestId("team-invite-sent")).toHaveTextContent("zoe@exemple.fr");
    expect(screen.getByTestId("team-invite-sent")).toHaveTextContent("27/11/2026");
    expect(screen.getByTestId("team-invite-email")).toHaveValue("");
    expect(screen.getAllByTestId("team-invitation")[0]).toHaveAttribute(
      "data-email",
      "zoe@exemple.fr",
    );
  });

  it("removes a member only once confirmed, saying their sessions end at once", async () => {
    const { backend } = await renderTeam();
    backend.removeMember.mockResolvedValue();
    const paul = member("paul@boulangerie-dupont.fr");
    await fireEvent.click(within(paul).getByTestId("member-remove"));
    expect(backend.removeMember).not.toHaveBeenCalled();
    expect(within(paul).getByRole("alertdialog")).toHaveTextContent(
      "Ses sessions se terminent immédiatement",
    );

    await fireEvent.click(within(paul).getByTestId("member-remove-cancel"));
    expect(within(paul).queryByTestId("member-remove-confirm")).not.toBeInTheDocument();
    expect(backend.removeMember).not.toHaveBeenCalled();

    await fireEvent.click(within(paul).getByTestId("member-remove"));
    await fireEvent.click(within(paul).getByTestId("member-remove-confirm"));
    expect(backend.removeMember).toHaveBeenCalledWith("u-2");
    await vi.waitFor(() => expect(screen.getAllByTestId("team-member")).toHaveLength(1));
    expect(screen.getByTestId("team-notice")).toHaveTextContent(
      "paul@boulangerie-dupont.fr ne fait plus partie de l'équipe.",
    );
  });

  it("changes a role at once, and says the server's refusal in the row", async () => {
    const { backend, props } = await renderTeam();
    const paul = member("paul@boulangerie-dupont.fr");
    backend.changeMemberRole.mockResolvedValueOnce({ ...team().members[1]!, role: "reader" });
    await fireEvent.change(within(paul).getByTestId("member-role"), {
      target: { value: "reader" },
    });
    expect(backend.changeMemberRole).toHaveBeenCalledWith("u-2", "reader", []);
    expect(await screen.findByTestId("team-notice")).toHaveTextContent(t("roleReader"));
    expect(props.onme).not.toHaveBeenCalled();

    const marie = member("marie@boulangerie-dupont.fr");
    backend.changeMemberRole.mockRejectedValueOnce(
      errorBody("L'entreprise doit garder au moins un propriétaire.", "last_owner"),
    );
    const select = within(marie).getByTestId("member-role");
    await fireEvent.change(select, { target: { value: "manager" } });
    expect(backend.changeMemberRole).toHaveBeenLastCalledWith("u-1", "manager", []);
    await vi.waitFor(() =>
      expect(within(marie).getByTestId("team-error")).toHaveTextContent(
        "L'entreprise doit garder au moins un propriétaire.",
      ),
    );
    expect(select).toHaveValue("owner");
    expect(screen.getAllByTestId("team-error")).toHaveLength(1);
  });

  it("invites a manager for the establishments ticked, or for all of them", async () => {
    const { backend } = await renderTeam("owner", { places: shops() });
    const sent: MemberInvitation = { ...pending, id: "inv-3", email: "zoe@exemple.fr" };
    backend.inviteMember.mockResolvedValue(sent);
    // "Tous les établissements" is the choice until another is made.
    const all = await screen.findByTestId("invite-establishments-all");
    expect(all).toBeChecked();
    expect(screen.queryByTestId("invite-establishment-et_gare")).not.toBeInTheDocument();

    await fireEvent.input(screen.getByTestId("team-invite-email"), {
      target: { value: "zoe@exemple.fr" },
    });
    await fireEvent.click(screen.getByTestId("invite-establishments-some"));
    // Nothing ticked: said, and nothing sent.
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(screen.getByTestId("team-error")).toHaveTextContent(t("teamScopeNoneChosen"));
    expect(backend.inviteMember).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId("invite-establishment-et_gare"));
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(backend.inviteMember).toHaveBeenLastCalledWith("zoe@exemple.fr", "manager", ["et_gare"]);
    await screen.findByTestId("team-invite-sent");

    // After a sending the form is back to every establishment.
    expect(screen.getByTestId("invite-establishments-all")).toBeChecked();
    await fireEvent.input(screen.getByTestId("team-invite-email"), {
      target: { value: "hugo@exemple.fr" },
    });
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(backend.inviteMember).toHaveBeenLastCalledWith("hugo@exemple.fr", "manager", []);
  });

  it("offers no choice of establishments for an owner, nor with one establishment", async () => {
    const { backend } = await renderTeam("owner", { places: shops() });
    await screen.findByTestId("invite-establishments-all");
    await fireEvent.click(screen.getByTestId("invite-establishments-some"));
    await fireEvent.click(screen.getByTestId("invite-establishment-et_co"));
    await fireEvent.change(screen.getByTestId("team-invite-role"), {
      target: { value: "owner" },
    });
    expect(screen.queryByTestId("invite-establishments-all")).not.toBeInTheDocument();
    expect(screen.queryByTestId("invite-establishment-et_co")).not.toBeInTheDocument();
    backend.inviteMember.mockResolvedValue({ ...pending, role: "owner" });
    await fireEvent.input(screen.getByTestId("team-invite-email"), {
      target: { value: "zoe@exemple.fr" },
    });
    await fireEvent.click(screen.getByTestId("team-invite-send"));
    expect(backend.inviteMember).toHaveBeenCalledWith("zoe@exemple.fr", "owner", []);
  });

  it("hides the choice of establishments when the company has only one", async () => {
    const data = team();
    data.members[1] = { ...data.members[1]!, establishments: ["et_co"] };
    await renderTeam("owner", { data, places: [shop("et_co", "Centre", true)] });
    // The establishments are known once their names show.
    await waitFor(() =>
      expect(screen.getByTestId("member-establishments-u-2")).toHaveTextContent(/^Centre$/),
    );
    expect(screen.getByTestId("team-invite-role")).toHaveValue("manager");
    expect(screen.queryByTestId("invite-establishments-all")).not.toBeInTheDocument();
    expect(screen.queryByTestId("member-establishments-edit-u-2")).not.toBeInTheDocument();
  });

  it("shows the establishments each member and invitation sees: all, or their names", async () => {
    const data = team();
    data.members[1] = { ...data.members[1]!, establishments: ["et_gare"] };
    data.invitations[0] = { ...pending, establishments: ["et_co", "et_gare"] };
    await renderTeam("reader", { data, places: shops() });
    await waitFor(() =>
      expect(screen.getByTestId("member-establishments-u-2")).toHaveTextContent("Gare"),
    );
    expect(screen.getByTestId("member-establishments-u-2")).not.toHaveTextContent("Centre");
    expect(screen.getByTestId("member-establishments-u-1")).toHaveTextContent(/^Tous$/);
    expect(screen.getByTestId("invitation-establishments-inv-1")).toHaveTextContent(
      /^Centre, Gare$/,
    );
    expect(screen.getByTestId("invitation-establishments-inv-2")).toHaveTextContent(/^Tous$/);
  });

  it("changes the establishments a member sees together with their role", async () => {
    const data = team();
    data.members[1] = { ...data.members[1]!, establishments: ["et_gare"] };
    const { backend } = await renderTeam("owner", { data, places: shops() });
    const paul = member("paul@boulangerie-dupont.fr");
    // An owner sees everything: nothing to change for Marie.
    expect(screen.queryByTestId("member-establishments-edit-u-1")).not.toBeInTheDocument();
    await fireEvent.click(await within(paul).findByTestId("member-establishments-edit-u-2"));
    expect(within(paul).getByTestId("member-u-2-establishments-some")).toBeChecked();
    expect(within(paul).getByTestId("member-u-2-establishment-et_gare")).toBeChecked();
    expect(within(paul).getByTestId("member-u-2-establishment-et_co")).not.toBeChecked();
    await fireEvent.click(within(paul).getByTestId("member-u-2-establishment-et_co"));
    expect(backend.changeMemberRole).not.toHaveBeenCalled();
    backend.changeMemberRole.mockResolvedValueOnce({
      ...data.members[1]!,
      establishments: ["et_co", "et_gare"],
    });
    await fireEvent.click(within(paul).getByTestId("member-establishments-save-u-2"));
    expect(backend.changeMemberRole).toHaveBeenCalledWith("u-2", "manager", ["et_co", "et_gare"]);
    await waitFor(() =>
      expect(screen.getByTestId("member-establishments-u-2")).toHaveTextContent("Centre, Gare"),
    );
    expect(screen.getByTestId("team-notice")).toHaveTextContent("Centre, Gare");
    expect(screen.queryByTestId("member-establishments-form-u-2")).not.toBeInTheDocument();

    // Another role keeps the establishments; an owner sees them all.
    backend.changeMemberRole.mockResolvedValueOnce({
      ...data.members[1]!,
      role: "reader",
      establishments: ["et_co", "et_gare"],
    });
    await fireEvent.change(within(paul).getByTestId("member-role"), {
      target: { value: "reader" },
    });
    expect(backend.changeMemberRole).toHaveBeenLastCalledWith("u-2", "reader", [
      "et_co",
      "et_gare",
    ]);
    await screen.findByTestId("team-notice");
    backend.changeMemberRole.mockResolvedValueOnce({
      ...data.members[1]!,
      role: "owner",
      establishments: [],
    });
    await fireEvent.change(within(paul).getByTestId("member-role"), {
      target: { value: "owner" },
    });
    expect(backend.changeMemberRole).toHaveBeenLastCalledWith("u-2", "owner", []);
    await waitFor(() =>
      expect(screen.getByTestId("member-establishments-u-2")).toHaveTextContent(/^Tous$/),
    );
  });

  it("sends an invitation again and withdraws one", async () => {
    const { backend } = await renderTeam();
    const renewed = {
      ...team().invitations[1]!,
      expired: false,
      expires_at: "2026-12-04T09:00:00Z",
    };
    backend.resendMemberInvitation.mockResolvedValue(renewed);
    const hugo = invitation("hugo@boulangerie-dupont.fr");
    await fireEvent.click(within(hugo).getByTestId("invitation-resend"));
    expect(backend.resendMemberInvitation).toHaveBeenCalledWith("inv-2");
    await vi.waitFor(() =>
      expect(invitation("hugo@boulangerie-dupont.fr")).not.toHaveTextContent(t("teamExpired")),
    );
    expect(screen.getByTestId("team-notice")).toHaveTextContent("04/12/2026");

    backend.withdrawMemberInvitation.mockResolvedValue();
    await fireEvent.click(
      within(invitation("lea@boulangerie-dupont.fr")).getByTestId("invitation-withdraw"),
    );
    expect(backend.withdrawMemberInvitation).toHaveBeenCalledWith("inv-1");
    await vi.waitFor(() => expect(screen.getAllByTestId("team-invitation")).toHaveLength(1));
  });

  it("lets a person of several companies leave this one, once confirmed", async () => {
    const backend = fakeBackend();
    backend.teamMembers.mockResolvedValue(team());
    const me = aMe("reader");
    me.companies = [
      { company_id: "c-1", name: "Boulangerie Dupont", role: "reader" },
      { company_id: "c-2", name: "Garage Martin", role: "owner" },
    ];
    const next = { ...aMe("owner"), company_id: "c-2" };
    backend.leaveCompany.mockResolvedValue(next);
    const onleft = vi.fn();
    render(Team, {
      props: { backend, t, language: "fr" as const, me, onsessionended: vi.fn(), onleft },
    });
    await fireEvent.click(await screen.findByTestId("team-leave"));
    expect(backend.leaveCompany).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("team-leave-cancel"));
    expect(backend.leaveCompany).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("team-leave"));
    await fireEvent.click(screen.getByTestId("team-leave-confirm"));
    await vi.waitFor(() => expect(onleft).toHaveBeenCalledWith(next));
  });

  it("says why leaving was refused, and offers it to nobody of a single company", async () => {
    const backend = fakeBackend();
    backend.teamMembers.mockResolvedValue(team());
    const me = aMe("owner");
    me.companies = [
      { company_id: "c-1", name: "Boulangerie Dupont", role: "owner" },
      { company_id: "c-2", name: "Garage Martin", role: "owner" },
    ];
    const refusal =
      "L'entreprise doit garder au moins un propriétaire : nommez d'abord un autre membre propriétaire.";
    backend.leaveCompany.mockRejectedValue(errorBody(refusal, "last_owner"));
    const onleft = vi.fn();
    render(Team, {
      props: { backend, t, language: "fr" as const, me, onsessionended: vi.fn(), onleft },
    });
    await fireEvent.click(await screen.findByTestId("team-leave"));
    await fireEvent.click(screen.getByTestId("team-leave-confirm"));
    expect(await screen.findByText(refusal)).toBeTruthy();
    expect(onleft).not.toHaveBeenCalled();

    cleanup();
    await renderTeam("reader");
    expect(screen.queryByTestId("team-leave")).toBeNull();
  });

  it("goes back to the login when the session ended", async () => {
    const { backend, props } = await renderTeam();
    const ended = errorBody("Vous ne faites plus partie de l'équipe.", "session_ended");
    backend.withdrawMemberInvitation.mockRejectedValue(ended);
    await fireEvent.click(
      within(invitation("lea@boulangerie-dupont.fr")).getByTestId("invitation-withdraw"),
    );
    await vi.waitFor(() => expect(props.onsessionended).toHaveBeenCalledWith(ended));
  });
});
