// A Backend for component tests: every method is a vi.fn() that, until a test says
// otherwise, returns a promise that never settles (the Rust side has not answered yet).
// A test makes one answer with mockResolvedValue / mockRejectedValue (an ErrorBody, as the
// real backend throws), or hands it a deferred() to check the view while it waits.
import { vi, type Mock } from "vitest";
import type { Backend } from "../lib/backend";
import type {
  Abilities,
  ErrorBody,
  ErrorCode,
  LinkSent,
  Me,
  Review,
  Role,
  SessionView,
} from "../lib/bindings";

export type FakeBackend = { [K in keyof Backend]: Mock<Backend[K]> };

/** A promise settled from outside: the view can be checked while it is pending. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** What the Rust side throws for a failed command. */
export function errorBody(
  message: string,
  code: ErrorCode = "server_error",
  more?: Partial<ErrorBody>,
): ErrorBody {
  return { code, message, ...more };
}

// Methods that answer at once by default: subscriptions hand back their unsubscribe.
const defaults: Partial<Record<keyof Backend, () => unknown>> = {
  onLink: () => Promise.resolve(() => {}),
  onOpenReview: () => Promise.resolve(() => {}),
  reload: () => undefined,
};

/**
 * A fake of every Backend method, made on first use (so it follows backend.ts as it
 * changes); `overrides` replace some from the start.
 */
export function fakeBackend(overrides: Partial<Backend> = {}): FakeBackend {
  const made = new Map<string, Mock>();
  const target = {} as FakeBackend;
  return new Proxy(target, {
    get(_, key) {
      // Not a thenable, and nothing for symbols (inspection, iteration).
      if (typeof key !== "string" || key === "then") return undefined;
      let fn = made.get(key);
      if (!fn) {
        const name = key as keyof Backend;
        const given = overrides[name] as ((...args: unknown[]) => unknown) | undefined;
        const fallback = defaults[name] ?? (() => new Promise(() => {}));
        fn = vi.fn(given ?? fallback);
        made.set(key, fn);
      }
      return fn;
    },
  });
}

export const aSession = (email = "marie@boulangerie-dupont.fr"): SessionView => ({
  email,
  keyring: "keyring",
});

export const aLinkSent = (more: Partial<LinkSent> = {}): LinkSent => ({
  email: "marie@boulangerie-dupont.fr",
  expires_in: 900,
  resend_after: 0,
  ...more,
});

export const aReview = (more: Partial<Review> = {}): Review => ({
  id: "r-1",
  rating: 4,
  title: "Très bon accueil",
  body: "Pain excellent, service rapide.",
  language: "fr",
  author_name: "Jean P.",
  experience_date: "2026-10-02",
  submitted_at: "2026-10-03T09:00:00Z",
  published_at: "2026-10-04T09:00:00Z",
  updated_at: null,
  status: "published",
  rejection_reason: null,
  verified: true,
  source: "invitation",
  reply: null,
  flags: 0,
  ...more,
});

/** What each role may do, as the server says it (econfiance-api's Abilities). */
export const abilitiesOf = (role: Role): Abilities => ({
  answer: role !== "reader",
  invite_customers: role !== "reader",
  edit_templates: role !== "reader",
  edit_company: role !== "reader",
  manage_team: role === "owner",
  contract: role === "owner",
});

/** An onboarded account acting for one company with `role` (an owner by default). */
export const aMe = (role: Role = "owner", more: Partial<Me> = {}): Me => ({
  user_id: "u-1",
  email: "marie@boulangerie-dupont.fr",
  locale: "fr",
  onboarding_required: false,
  has_password: true,
  person: { first_name: "Marie", last_name: "Dupont", job_title: "Gérante", phone: null },
  company: {
    legal_name: "Boulangerie Dupont",
    siret: "73282932000074",
    address: "1 rue du Four",
    postal_code: "75006",
    city: "Paris",
    website: null,
    sector: "Boulangerie",
    phone: null,
  },
  company_id: "c-1",
  company_onboarding_required: false,
  role,
  can: abilitiesOf(role),
  companies: [{ company_id: "c-1", name: "Boulangerie Dupont", role }],
  limited_establishments: false,
  ...more,
});
