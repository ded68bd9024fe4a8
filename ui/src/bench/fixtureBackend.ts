// The benchmark mode's backend (index.html?bench=N): the UI's Backend interface answered
// from fixture data in the page itself — a signed-in, onboarded company with N reviews,
// generated the same way every time — so that the same bundle runs unchanged in the app's
// window and in a browser (scripts/bench-engines.sh compares them). Loaded only in that
// mode, never by the app's normal start. Everything outside the dashboard and the inbox
// answers "not available in benchmark mode".
import type { Backend } from "../lib/backend";
import type {
  AppInfo,
  AppPreferences,
  DashboardSnapshot,
  ErrorBody,
  LinkEvent,
  Me,
  PlatformStatus,
  Review,
  ReviewPage,
  ReviewQuery,
  SessionView,
  Summary,
  TrustIndex,
} from "../lib/bindings";

const FIRST_NAMES = ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Nathan"];
const TITLES = [
  "Accueil chaleureux et conseils avisés",
  "Livraison rapide, produit conforme",
  "Service correct mais attente un peu longue",
  "Très déçu par le suivi de ma commande",
  "Excellent rapport qualité-prix, je recommande",
  "Équipe à l'écoute, problème réglé en une journée",
];
const SENTENCES = [
  "Nous avons été reçus rapidement et la personne a pris le temps de tout expliquer.",
  "Le produit correspond à la description et l'emballage était soigné.",
  "Le délai annoncé a été respecté, à un jour près.",
  "J'ai dû relancer deux fois avant d'obtenir une réponse claire.",
  "Les prix sont raisonnables pour la qualité proposée.",
  "Je reviendrai sans hésiter et je conseille l'adresse à mes proches.",
];

/** A deterministic pseudo-random number in [0, 1) for review `i` and field `k`. */
function rand(i: number, k: number): number {
  let x = (i * 2654435761 + k * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 2246822507) >>> 0;
  x ^= x >>> 13;
  return (x >>> 0) / 4294967296;
}

function pick(list: string[], i: number, k: number): string {
  return list[Math.floor(rand(i, k) * list.length)] ?? "";
}

/** Review number `i` (0 = newest). */
export function fixtureReview(i: number): Review {
  const rating = 1 + Math.floor(rand(i, 1) ** 0.6 * 5);
  const day = new Date(Date.UTC(2026, 10, 27) - Math.floor(i / 20) * 86_400_000);
  const at = day.toISOString();
  const body = [0, 1, 2].map((k) => pick(SENTENCES, i, 10 + k)).join(" ");
  return {
    id: `rv_${i.toString(36).padStart(6, "0")}`,
    rating,
    title: pick(TITLES, i, 2),
    body,
    language: "fr",
    author_name: `${pick(FIRST_NAMES, i, 3)} ${String.fromCharCode(65 + (i % 26))}.`,
    experience_date: at.slice(0, 10),
    submitted_at: at,
    published_at: at,
    updated_at: null,
    status: "published",
    rejection_reason: null,
    verified: rand(i, 4) < 0.7,
    source: rand(i, 5) < 0.8 ? "invitation" : "organic",
    reply:
      rand(i, 6) < 0.4
        ? {
            body: "Merci pour votre retour, à bientôt !",
            created_at: at,
            updated_at: null,
            author: "Camille Martin",
          }
        : null,
    flags: 0,
  };
}

function unavailable(): Promise<never> {
  const body: ErrorBody = {
    code: "benchmark_mode",
    message: "Indisponible en mode benchmark (données de démonstration).",
  };
  return Promise.reject(body);
}

/** The Backend of the benchmark mode, with `count` reviews. */
export function fixtureBackend(count: number): Backend & { allServed(): boolean } {
  let served = 0;
  const distribution = [0, 0, 0, 0, 0];
  for (let i = 0; i < Math.min(count, 5000); i++) {
    const k = fixtureReview(i).rating - 1;
    distribution[k] = (distribution[k] ?? 0) + 1;
  }
  const scale = count / Math.max(1, Math.min(count, 5000));
  const dist = distribution.map((n) => Math.round(n * scale));
  const average = dist.reduce((sum, n, k) => sum + n * (k + 1), 0) / Math.max(1, count);
  const summary: Summary = {
    from: "2025-11-27",
    to: "2026-11-27",
    average,
    count,
    distribution: dist,
    new_reviews: Math.min(count, 600),
    previous_new_reviews: Math.min(count, 540),
    change_percent: 11.1,
    period_average: 4.2,
    previous_average: 4.1,
    monthly: Array.from({ length: 12 }, (_, m) => ({
      month: `${m < 2 ? 2025 : 2026}-${String(((m + 10) % 12) + 1).padStart(2, "0")}`,
      count: 40 + m * 3,
      average: 3.6 + (m % 4) / 10,
    })),
    response_rate: 0.4,
    median_response_hours: 20,
    awaiting_answer: Math.round(count * 0.6),
  };
  const trust: TrustIndex = {
    score: 82,
    points: (
      [
        ["legal_information", "Informations légales", "passed"],
        ["reviews_volume", "Volume d'avis", "passed"],
        ["response_rate", "Taux de réponse", "partial"],
        ["recent_reviews", "Avis récents", "passed"],
      ] as const
    ).map(([key, label, status]) => ({
      key,
      label,
      status,
      explanation: `${label} : données de démonstration.`,
    })),
  };
  const me: Me = {
    user_id: "us_bench",
    email: "bench@boulangerie-exemple.fr",
    locale: "fr",
    onboarding_required: false,
    has_password: true,
    person: { first_name: "Camille", last_name: "Martin", job_title: "Gérante", phone: null },
    company: {
      legal_name: "Boulangerie Exemple",
      siret: "73282932000074",
      address: "12 rue des Lilas",
      postal_code: "69003",
      city: "Lyon",
      website: null,
      sector: "Alimentation",
      phone: null,
    },
    company_id: "co_bench",
    company_onboarding_required: false,
    role: "owner",
    can: {
      answer: true,
      invite_customers: true,
      edit_templates: true,
      edit_company: true,
      manage_team: true,
      contract: true,
    },
    companies: [{ company_id: "co_bench", name: "Boulangerie Exemple", role: "owner" }],
    limited_establishments: false,
  };
  const info: AppInfo = {
    version: "benchmark",
    language: "fr",
    server_url: "(données de démonstration)",
    safe_mode: false,
    theme: "system",
    clear_cache_offline:
      "Fermez l'application, puis lancez « e-confiance --clear-cache » dans un terminal.",
  };
  const session: SessionView = { email: me.email, keyring: "keyring" };
  const preferences: AppPreferences = {
    notifications: "all",
    tray: false,
    autostart: false,
    theme: "system",
  };
  const status: PlatformStatus = {
    state: "operational",
    message_fr: null,
    message_en: null,
    updated_at: "2026-11-27T08:00:00Z",
  };
  const snapshot: DashboardSnapshot = { summary: null, trust: null, company_name: null };

  function listReviews(query: ReviewQuery): Promise<ReviewPage> {
    const start = query.cursor ? Number(query.cursor) : 0;
    const end = Math.min(count, start + (query.limit ?? 100));
    const items: Review[] = [];
    for (let i = start; i < end; i++) items.push(fixtureReview(i));
    served = Math.max(served, end);
    return Promise.resolve({
      items,
      next_cursor: end < count ? String(end) : null,
      total: count,
    });
  }

  const known: Partial<Backend> & { allServed(): boolean } = {
    allServed: () => served >= count,
    appInfo: () => Promise.resolve(info),
    setLanguage: () => Promise.resolve(info),
    platformStatus: () => Promise.resolve(status),
    takePendingLinks: () => Promise.resolve<LinkEvent[]>([]),
    onLink: () => Promise.resolve(() => {}),
    onOpenReview: () => Promise.resolve(() => {}),
    currentSession: () => Promise.resolve(session),
    me: () => Promise.resolve(me),
    // A cold start: nothing kept from a previous run.
    lastKnownDashboard: () => Promise.resolve(null),
    dashboardSnapshot: () => Promise.resolve(snapshot),
    dashboardSummary: () => Promise.resolve(summary),
    trustIndex: () => Promise.resolve(trust),
    listReviews,
    getReview: (id) => Promise.resolve(fixtureReview(parseInt(id.slice(3), 36))),
    replyDraft: () => Promise.resolve(""),
    saveReplyDraft: () => Promise.resolve(),
    preferences: () => Promise.resolve(preferences),
    reload: () => location.reload(),
  };
  return new Proxy(known, {
    get: (target, name: string) =>
      name in target ? target[name as keyof typeof target] : unavailable,
  }) as Backend & { allServed(): boolean };
}
