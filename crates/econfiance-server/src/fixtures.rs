//! Realistic French reviews for a sandbox company: `reviews seed` fills a company with up
//! to 100,000 of them in seconds (one transaction, one prepared statement), `reviews add`
//! adds one now — with the event that makes the app notify. Texts are assembled from
//! sentence parts, so that search has real words to find (accents included).

use crate::db::Pool;

use crate::crypto;

const AUTHORS: [&str; 24] = [
    "Camille D.",
    "Julien M.",
    "Léa B.",
    "Hugo R.",
    "Chloé P.",
    "Lucas G.",
    "Manon L.",
    "Théo F.",
    "Inès V.",
    "Nathan C.",
    "Emma T.",
    "Louis S.",
    "Zoé K.",
    "Gabriel N.",
    "Anaïs H.",
    "Mathis A.",
    "Jeanne E.",
    "Raphaël O.",
    "Élodie W.",
    "Noé Y.",
    "François Z.",
    "Cécile Q.",
    "Hélène J.",
    "Benoît X.",
];

const GOOD_TITLES: [&str; 8] = [
    "Excellent accueil",
    "Très satisfait",
    "Je recommande",
    "Parfait du début à la fin",
    "Qualité au rendez-vous",
    "Service rapide et efficace",
    "Une belle découverte",
    "Rien à redire",
];
const MIXED_TITLES: [&str; 4] = [
    "Correct sans plus",
    "Peut mieux faire",
    "Mitigé",
    "Bien mais un peu cher",
];
const BAD_TITLES: [&str; 5] = [
    "Déçu",
    "Livraison en retard",
    "Produit abîmé",
    "Service client injoignable",
    "À éviter",
];

const GOOD_PARTS: [&str; 10] = [
    "La commande est arrivée en avance et parfaitement emballée.",
    "L'équipe est souriante et de très bon conseil.",
    "Le pain est croustillant et les pâtisseries délicieuses.",
    "Le rapport qualité-prix est excellent.",
    "J'ai été remboursé en deux jours sans la moindre question.",
    "Le site est clair et le paiement sécurisé.",
    "Un vrai savoir-faire artisanal, ça se sent.",
    "Je reviendrai sans hésiter et j'en parlerai autour de moi.",
    "La crème brûlée était parfaite.",
    "Merci pour la carte manuscrite glissée dans le colis !",
];
const BAD_PARTS: [&str; 8] = [
    "Le colis est arrivé avec une semaine de retard.",
    "Personne ne répond au téléphone ni aux e-mails.",
    "L'article ne correspond pas à la description.",
    "Le produit était abîmé à la réception.",
    "Le remboursement se fait toujours attendre.",
    "L'accueil était froid et peu aimable.",
    "Les frais de livraison ne sont annoncés qu'à la fin.",
    "Dommage, la qualité a baissé depuis l'an dernier.",
];
const REPLIES_GOOD: [&str; 4] = [
    "Merci beaucoup pour votre avis, à très bientôt !",
    "Toute l'équipe vous remercie pour ce retour chaleureux.",
    "Merci ! Nous sommes ravis que cela vous ait plu.",
    "Merci pour votre fidélité et pour ce message.",
];
const REPLIES_BAD: [&str; 3] = [
    "Nous sommes désolés de cette expérience. Contactez-nous au 04 72 00 00 00 : nous allons trouver une solution.",
    "Merci pour votre retour : nous avons revu notre procédure d'expédition.",
    "Toutes nos excuses pour ce retard, un geste commercial vous a été proposé par e-mail.",
];

/// A generated review.
struct Generated {
    rating: i64,
    title: String,
    body: String,
    author: &'static str,
    status: &'static str,
    rejection_reason: Option<&'static str>,
    verified: bool,
    source: &'static str,
    reply: Option<&'static str>,
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, list: &[T]) -> T {
    list[rng.usize(..list.len())]
}

fn generate(rng: &mut fastrand::Rng, rating: Option<i64>) -> Generated {
    // Most reviews of a decent business are good; a few are not.
    let rating = rating.unwrap_or_else(|| match rng.u8(..100) {
        0..=4 => 1,
        5..=9 => 2,
        10..=19 => 3,
        20..=49 => 4,
        _ => 5,
    });
    let (title, parts): (&str, &[&str]) = match rating {
        1 | 2 => (pick(rng, &BAD_TITLES), &BAD_PARTS),
        3 => (pick(rng, &MIXED_TITLES), &GOOD_PARTS),
        _ => (pick(rng, &GOOD_TITLES), &GOOD_PARTS),
    };
    // One to three different sentences.
    let mut sentences: Vec<&str> = parts.to_vec();
    rng.shuffle(&mut sentences);
    let mut body = sentences[..1 + rng.usize(0..3)].join(" ");
    if rating == 3 {
        body.push(' ');
        body.push_str(pick(rng, &BAD_PARTS));
    }
    let (status, rejection_reason) = match rng.u8(..100) {
        0..=1 => (
            "rejected",
            Some("Contenu sans rapport avec une expérience client."),
        ),
        2..=4 => ("pending", None),
        _ => ("published", None),
    };
    let reply = (status == "published" && rng.u8(..100) < 62).then(|| {
        if rating <= 2 {
            pick(rng, &REPLIES_BAD)
        } else {
            pick(rng, &REPLIES_GOOD)
        }
    });
    let source = match rng.u8(..100) {
        0..=59 => "invitation",
        60..=89 => "organic",
        _ => "import",
    };
    Generated {
        rating,
        title: title.to_owned(),
        body,
        author: pick(rng, &AUTHORS),
        status,
        rejection_reason,
        verified: source == "invitation",
        source,
        reply,
    }
}

const INSERT_HEAD: &str = "INSERT INTO reviews (id, company_id, rating, title, body, language, author_name,
    experience_date, submitted_at, published_at, updated_at, status, rejection_reason, verified, source,
    reply_body, reply_created_at, reply_updated_at, establishment_id)";

/// How many values one row of [`INSERT_HEAD`] binds.
const ROW_VALUES: usize = 16;

/// The `row`-th row of values for [`INSERT_HEAD`] (language `fr`, never updated, reply not
/// edited), its placeholders numbered after the rows before it.
fn insert_row(row: usize) -> String {
    let p = |i: usize| format!("${}", row * ROW_VALUES + i);
    format!(
        "({}, {}, {}, {}, {}, 'fr', {}, {}, {}, {}, NULL, {}, {}, {}, {}, {}, {}, NULL, {})",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6),
        p(7),
        p(8),
        p(9),
        p(10),
        p(11),
        p(12),
        p(13),
        p(14),
        p(15),
        p(16)
    )
}

fn day_of(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .ok()
        .and_then(|t| t.in_tz("Europe/Paris").ok())
        .map(|z| z.date().to_string())
        .unwrap_or_default()
}

/// Adds `count` reviews spread over the two years before `now` to the company's main
/// establishment, and the trust index's control points if the company has none.
/// Deterministic for a given `seed`.
pub async fn seed_reviews(
    pool: &Pool,
    company_id: &str,
    count: u32,
    now: i64,
    seed: u64,
) -> Result<(), sqlx::Error> {
    let main = crate::establishments::main_of(company_id);
    seed_reviews_at(pool, company_id, &main, count, now, seed).await
}

/// [`seed_reviews`], for establishment `establishment_id` of the company.
pub async fn seed_reviews_at(
    pool: &Pool,
    company_id: &str,
    establishment_id: &str,
    count: u32,
    now: i64,
    seed: u64,
) -> Result<(), sqlx::Error> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let span = 2 * 365 * 24 * 3600;
    let mut tx = crate::db::begin(pool).await?;
    // Many rows per statement: the per-statement cost, not SQLite, is what makes a
    // row-by-row seed of 100,000 reviews slow.
    const BATCH: u32 = 200;
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let sql = format!(
            "{} VALUES {}",
            INSERT_HEAD,
            (0..n as usize)
                .map(insert_row)
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Built from constants only; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for _ in 0..n {
            let g = generate(&mut rng, None);
            let submitted = now - rng.i64(0..span);
            let experience = submitted - rng.i64(0..10 * 24 * 3600);
            let published = (g.status == "published").then(|| submitted + rng.i64(600..86_400));
            let replied = g
                .reply
                .map(|_| published.unwrap_or(submitted) + rng.i64(1_800..5 * 86_400));
            query = query
                .bind(crypto::random_id("rv"))
                .bind(company_id)
                .bind(g.rating)
                .bind(g.title)
                .bind(g.body)
                .bind(g.author)
                .bind(day_of(experience))
                .bind(submitted)
                .bind(published)
                .bind(g.status)
                .bind(g.rejection_reason)
                .bind(i64::from(g.verified))
                .bind(g.source)
                .bind(g.reply)
                .bind(replied.map(|r| r.min(now)))
                .bind(establishment_id);
        }
        query.execute(&mut *tx).await?;
        done += n;
    }
    let points = [
        ("legal_information", "passed"),
        ("ssl", "passed"),
        ("after_sales", "passed"),
        ("payment_delivery", "partial"),
        ("marketplace", "pending"),
        ("online_presence", "passed"),
    ];
    for (point, status) in points {
        sqlx::query(
            "INSERT INTO trust_points (company_id, point, status, checked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(company_id)
        .bind(point)
        .bind(status)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A review written by `author`, published now, with the event the app notifies.
pub struct NewReview<'a> {
    /// Stars.
    pub rating: i64,
    /// Title (generated when None).
    pub title: Option<&'a str>,
    /// Text (generated when None).
    pub body: Option<&'a str>,
    /// Author (generated when None).
    pub author: Option<&'a str>,
}

/// Adds one published review now to the company's main establishment, and its
/// `review_created` event. Returns its id.
pub async fn add_review(
    pool: &Pool,
    company_id: &str,
    new: NewReview<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let main = crate::establishments::main_of(company_id);
    add_review_at(pool, company_id, &main, new, now).await
}

/// [`add_review`], for establishment `establishment_id` of the company.
pub async fn add_review_at(
    pool: &Pool,
    company_id: &str,
    establishment_id: &str,
    new: NewReview<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let mut rng = fastrand::Rng::new();
    let g = generate(&mut rng, Some(new.rating.clamp(1, 5)));
    let id = crypto::random_id("rv");
    let mut tx = crate::db::begin(pool).await?;
    // Built from constants only; every value is bound.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INSERT_HEAD} VALUES {}",
        insert_row(0)
    )))
    .bind(&id)
    .bind(company_id)
    .bind(g.rating)
    .bind(new.title.unwrap_or(&g.title))
    .bind(new.body.unwrap_or(&g.body))
    .bind(new.author.unwrap_or(g.author))
    .bind(day_of(now))
    .bind(now)
    .bind(now)
    .bind("published")
    .bind(None::<&str>)
    .bind(0_i64)
    .bind("organic")
    .bind(None::<&str>)
    .bind(None::<i64>)
    .bind(establishment_id)
    .execute(&mut *tx)
    .await?;
    crate::reviews::feed::record(&mut tx, company_id, "review_created", &id, now).await?;
    crate::alerts::queue_review_alert(&mut tx, company_id, &id, g.rating, now).await?;
    tx.commit().await?;
    Ok(id)
}
