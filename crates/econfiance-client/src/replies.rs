//! Writing replies faster: a template's fields filled in for one review, and the suggested
//! reply, drafted here from the owner's own templates — never by an outside service. The
//! rules are plain and shown to the owner ([`topic_rules`]): the review's rating and
//! language choose the whole-reply template; each topic the review mentions (a word of
//! the topic's list, accents and case ignored) adds that topic's sentence. The owner reads
//! and changes both the templates and each topic's words ([`cleaned_rules`], kept in the
//! settings); the app always says a suggestion is one, and the owner edits or confirms it
//! before it is published.

use econfiance_api::reviews::Review;
use econfiance_api::templates::{ReplyTemplate, Topic};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a suggested reply was made from, with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Suggestion {
    /// The reply, fields filled in: to be edited or confirmed by the owner.
    pub text: String,
    /// The whole-reply template it starts from.
    pub template_name: String,
    /// The topics recognised in the review, each of which added its sentence.
    pub topics: Vec<Topic>,
}

/// One topic's rule: the words that make a review "mention" it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TopicRule {
    /// The topic.
    pub topic: Topic,
    /// Word beginnings, without accents ("accueil" also finds "accueillante").
    pub words: Vec<String>,
}

/// The words of each topic, French and English together (a word of the review matches
/// when it begins with one of them, accents and case ignored).
fn words_of(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Accueil => &[
            "accueil",
            "aimable",
            "souriant",
            "sympathique",
            "chaleureu",
            "personnel",
            "equipe",
            "vendeu",
            "serveu",
            "conseil",
            "poli",
            "desagreable",
            "welcom",
            "friendly",
            "staff",
            "team",
            "rude",
            "polite",
            "helpful",
        ],
        Topic::Prix => &[
            "prix",
            "cher",
            "tarif",
            "cout",
            "facture",
            "onereu",
            "abordable",
            "price",
            "pricey",
            "expensive",
            "cheap",
            "cost",
            "overpriced",
            "afford",
        ],
        Topic::Delai => &[
            "delai",
            "attente",
            "attendu",
            "attendre",
            "retard",
            "rapide",
            "vite",
            "livraison",
            "livre",
            "lent",
            "delay",
            "late",
            "wait",
            "quick",
            "fast",
            "slow",
            "deliver",
        ],
        Topic::Qualite => &[
            "qualite",
            "produit",
            "defectu",
            "defaut",
            "casse",
            "abime",
            "parfait",
            "excellent",
            "frais",
            "fraiche",
            "delicieu",
            "savoureu",
            "quality",
            "product",
            "broken",
            "damaged",
            "faulty",
            "perfect",
            "fresh",
            "delicious",
            "tasty",
        ],
    }
}

/// Every topic's rule: the owner's words for the topics they changed (`custom`), the
/// app's for the others.
pub fn topic_rules(custom: &[TopicRule]) -> Vec<TopicRule> {
    Topic::ALL
        .into_iter()
        .map(|topic| match custom.iter().find(|r| r.topic == topic) {
            Some(rule) => rule.clone(),
            None => TopicRule {
                topic,
                words: words_of(topic).iter().map(|w| (*w).to_owned()).collect(),
            },
        })
        .collect()
}

/// The most words a topic keeps, and the longest word.
const MAX_WORDS: usize = 60;
const MAX_WORD_CHARS: usize = 30;

/// `rules` as the owner typed them, made usable: each word trimmed, folded (no accents,
/// lower case), kept once, at most [`MAX_WORD_CHARS`] characters and [`MAX_WORDS`] words
/// per topic; one rule per topic.
pub fn cleaned_rules(rules: &[TopicRule]) -> Vec<TopicRule> {
    let mut out: Vec<TopicRule> = Vec::new();
    for rule in rules {
        if out.iter().any(|r| r.topic == rule.topic) {
            continue;
        }
        let mut words: Vec<String> = Vec::new();
        for word in &rule.words {
            let w = folded(word.trim());
            if w.is_empty() || w.chars().count() > MAX_WORD_CHARS || words.contains(&w) {
                continue;
            }
            words.push(w);
        }
        words.truncate(MAX_WORDS);
        out.push(TopicRule {
            topic: rule.topic,
            words,
        });
    }
    out
}

/// `text` in lower case without accents ("Qualité" → "qualite").
fn folded(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace('œ', "oe")
}

/// The topics `text` mentions by `rules` (see [`topic_rules`]), in [`Topic::ALL`]'s order.
pub fn topics_in(text: &str, rules: &[TopicRule]) -> Vec<Topic> {
    let text = folded(text);
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    topic_rules(rules)
        .into_iter()
        .filter(|rule| {
            rule.words
                .iter()
                .any(|key| words.iter().any(|w| w.starts_with(key.as_str())))
        })
        .map(|rule| rule.topic)
        .collect()
}

/// The values of a template's fields for one review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The author's first name, when their display name starts with one.
    pub first_name: String,
    /// The company's name.
    pub company: String,
    /// The date of the experience, written out in the template's language.
    pub date: String,
}

impl Fields {
    /// The fields of `review` for a template in `language` (`fr` or `en`).
    pub fn of(review: &Review, company: &str, language: &str) -> Fields {
        Fields {
            first_name: first_name(&review.author_name),
            company: company.trim().to_owned(),
            date: long_date(&review.experience_date, language),
        }
    }
}

/// "Camille D." → "Camille"; "" when the name does not start with a word of letters
/// ("Client 42", an initial alone).
fn first_name(author: &str) -> String {
    let word = author.split_whitespace().next().unwrap_or_default();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let name_like = letters >= 2
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !word.eq_ignore_ascii_case("client");
    if name_like {
        word.to_owned()
    } else {
        String::new()
    }
}

/// A month's name: "novembre" (French, lower case) or "November" (`english`).
pub(crate) fn month_name(date: jiff::civil::Date, english: bool) -> &'static str {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = usize::try_from(date.month() - 1).unwrap_or(0);
    if english {
        EN[i]
    } else {
        FR[i]
    }
}

/// `2026-11-20` → "20 novembre 2026" / "20 November 2026"; the text as given when it is
/// not a date.
fn long_date(iso: &str, language: &str) -> String {
    let Ok(date) = iso.parse::<jiff::civil::Date>() else {
        return iso.to_owned();
    };
    let day = if language != "en" && date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    format!(
        "{day} {} {}",
        month_name(date, language == "en"),
        date.year()
    )
}

/// `body` with its fields filled in: `{prénom}`/`{first_name}`, `{entreprise}`/`{company}`,
/// `{date}`, and `{sujets}`/`{topics}` (the topic sentences, or nothing). A greeting left
/// without a name loses its space before the comma ("Bonjour ,"→"Bonjour,").
pub fn fill(body: &str, fields: &Fields, topic_sentences: &str) -> String {
    let text = body
        .replace("{prénom}", &fields.first_name)
        .replace("{prenom}", &fields.first_name)
        .replace("{first_name}", &fields.first_name)
        .replace("{entreprise}", &fields.company)
        .replace("{company}", &fields.company)
        .replace("{date}", &fields.date)
        .replace("{sujets}", topic_sentences)
        .replace("{topics}", topic_sentences);
    tidy(&text)
}

/// Spaces an empty field left behind: before a comma or a full stop, doubled, at a line's
/// end.
fn tidy(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut l = line.to_owned();
            while l.contains("  ") {
                l = l.replace("  ", " ");
            }
            l.replace(" ,", ",")
                .replace(" .", ".")
                .trim_end()
                .to_owned()
        })
        .collect();
    lines.join("\n").trim().to_owned()
}

/// The language of a review's reply: English for an English review, French otherwise.
fn review_language(review: &Review) -> &'static str {
    if review.language.starts_with("en") {
        "en"
    } else {
        "fr"
    }
}

fn suits(t: &ReplyTemplate, rating: u8, language: &str) -> bool {
    t.language == language && t.min_rating <= rating && rating <= t.max_rating
}

/// The suggested reply to `review`, from `templates` and the topics' `rules`: the
/// whole-reply template that suits its rating and language most narrowly (French when none
/// suits an English review), with the sentence of each topic it mentions in that language.
/// None when no whole-reply template suits its rating (the owner deleted them).
pub fn suggest(
    review: &Review,
    templates: &[ReplyTemplate],
    company: &str,
    rules: &[TopicRule],
) -> Option<Suggestion> {
    let rating = review.rating;
    let whole = |language: &str| {
        templates
            .iter()
            .filter(|t| t.topic.is_none() && suits(t, rating, language))
            .min_by_key(|t| (t.max_rating - t.min_rating, t.name.clone()))
    };
    let (base, language) = match whole(review_language(review)) {
        Some(t) => (t, review_language(review)),
        None => (whole("fr")?, "fr"),
    };
    let topics = topics_in(&format!("{} {}", review.title, review.body), rules);
    let mut used = Vec::new();
    let mut sentences = Vec::new();
    for topic in topics {
        if let Some(t) = templates
            .iter()
            .find(|t| t.topic == Some(topic) && suits(t, rating, language))
        {
            used.push(topic);
            sentences.push(t.body.trim().to_owned());
        }
    }
    let joined = sentences.join(" ");
    let has_field = ["{sujets}", "{topics}"]
        .iter()
        .any(|f| base.body.contains(f));
    let body = if has_field || joined.is_empty() {
        base.body.clone()
    } else {
        // No place named for them: after the first paragraph.
        match base.body.split_once("\n\n") {
            Some((first, rest)) => format!("{first}\n\n{joined}\n\n{rest}"),
            None => format!("{}\n\n{joined}", base.body),
        }
    };
    let fields = Fields::of(review, company, language);
    Some(Suggestion {
        text: fill(&body, &fields, &joined),
        template_name: base.name.clone(),
        topics: used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use econfiance_api::reviews::{ReviewSource, ReviewStatus};

    fn review(rating: u8, title: &str, body: &str, language: &str, author: &str) -> Review {
        Review {
            id: "rv_1".into(),
            rating,
            title: title.into(),
            body: body.into(),
            language: language.into(),
            author_name: author.into(),
            experience_date: "2026-11-20".into(),
            submitted_at: "2026-11-21T10:00:00Z".into(),
            published_at: None,
            updated_at: None,
            status: ReviewStatus::Published,
            rejection_reason: None,
            verified: true,
            source: ReviewSource::Organic,
            reply: None,
            flags: 0,
        }
    }

    fn template(
        name: &str,
        body: &str,
        language: &str,
        ratings: (u8, u8),
        topic: Option<Topic>,
    ) -> ReplyTemplate {
        ReplyTemplate {
            id: format!("tpl_{name}"),
            name: name.into(),
            body: body.into(),
            language: language.into(),
            min_rating: ratings.0,
            max_rating: ratings.1,
            topic,
        }
    }

    fn set() -> Vec<ReplyTemplate> {
        vec![
            template(
                "Merci",
                "Bonjour {prénom},\n\nMerci ! {sujets}\n\nL'équipe {entreprise}",
                "fr",
                (4, 5),
                None,
            ),
            template(
                "Désolé",
                "Bonjour {prénom},\n\nDésolés pour le {date}.\n\nL'équipe {entreprise}",
                "fr",
                (1, 2),
                None,
            ),
            template("Tout", "Bonjour,\n\nMerci.", "fr", (1, 5), None),
            template(
                "Thanks",
                "Hello {first_name}, thank you! {topics}",
                "en",
                (4, 5),
                None,
            ),
            template(
                "Accueil+",
                "Ravis que l'accueil vous ait plu.",
                "fr",
                (4, 5),
                Some(Topic::Accueil),
            ),
            template(
                "Accueil-",
                "Nous regrettons l'accueil.",
                "fr",
                (1, 3),
                Some(Topic::Accueil),
            ),
            template(
                "Délai-",
                "Pardon pour l'attente.",
                "fr",
                (1, 3),
                Some(Topic::Delai),
            ),
            template(
                "Prix+",
                "Contents que nos prix vous plaisent.",
                "fr",
                (4, 5),
                Some(Topic::Prix),
            ),
            template(
                "Welcome+",
                "Glad you liked our welcome.",
                "en",
                (4, 5),
                Some(Topic::Accueil),
            ),
        ]
    }

    #[test]
    fn topics_are_found_by_word_beginnings_whatever_the_accents_and_case() {
        assert_eq!(
            topics_in(
                "Vendeuse très ACCUEILLANTE mais délai de LIVRAISON trop long",
                &[]
            ),
            vec![Topic::Accueil, Topic::Delai]
        );
        assert_eq!(
            topics_in("Qualité irréprochable, prix correct", &[]),
            vec![Topic::Prix, Topic::Qualite]
        );
        assert_eq!(
            topics_in("Friendly staff, fast delivery", &[]),
            vec![Topic::Accueil, Topic::Delai]
        );
        assert!(topics_in("Rien à dire.", &[]).is_empty());
        // A word that only contains a key, not begins with it, is no mention.
        assert!(
            topics_in("imprécis", &[]).is_empty(),
            "'prix' is not in 'imprécis'"
        );
    }

    #[test]
    fn a_good_review_gets_the_narrowest_template_of_its_rating_with_its_topics_sentences() {
        let r = review(5, "Super accueil", "Et des prix doux.", "fr", "Camille D.");
        let s = suggest(&r, &set(), "Boulangerie Martin", &[]).expect("a suggestion");
        assert_eq!(s.template_name, "Merci", "4–5 is narrower than 1–5");
        assert_eq!(s.topics, vec![Topic::Accueil, Topic::Prix]);
        assert_eq!(
            s.text,
            "Bonjour Camille,\n\nMerci ! Ravis que l'accueil vous ait plu. Contents que nos prix vous plaisent.\n\nL'équipe Boulangerie Martin"
        );
    }

    #[test]
    fn a_bad_review_gets_its_apology_sentences_after_the_first_paragraph_when_no_field_says_where()
    {
        let r = review(
            1,
            "Attente",
            "Une heure d'attente, personnel désagréable",
            "fr",
            "client 42",
        );
        let s = suggest(&r, &set(), "Boulangerie Martin", &[]).expect("a suggestion");
        assert_eq!(s.template_name, "Désolé");
        assert_eq!(s.topics, vec![Topic::Accueil, Topic::Delai]);
        assert_eq!(
            s.text,
            "Bonjour,\n\nNous regrettons l'accueil. Pardon pour l'attente.\n\nDésolés pour le 20 novembre 2026.\n\nL'équipe Boulangerie Martin"
        );
    }

    #[test]
    fn an_english_review_gets_the_english_templates() {
        let r = review(4, "Lovely", "Friendly staff", "en", "John Smith");
        let s = suggest(&r, &set(), "Martin", &[]).expect("a suggestion");
        assert_eq!(s.template_name, "Thanks");
        assert_eq!(s.text, "Hello John, thank you! Glad you liked our welcome.");
    }

    #[test]
    fn an_english_review_without_an_english_template_for_its_rating_gets_the_french_one() {
        let r = review(1, "Awful", "Rude staff", "en", "John Smith");
        let s = suggest(&r, &set(), "M", &[]).expect("a suggestion");
        assert_eq!(s.template_name, "Désolé");
        assert_eq!(s.topics, vec![Topic::Accueil], "the French sentence");
        assert!(s.text.starts_with("Bonjour John,"), "{}", s.text);
    }

    #[test]
    fn the_owners_words_replace_a_topics_and_are_cleaned_first() {
        let typed = vec![
            TopicRule {
                topic: Topic::Prix,
                words: vec![
                    "  Remise ".into(),
                    "".into(),
                    "remise".into(),
                    "x".repeat(31),
                ],
            },
            TopicRule {
                topic: Topic::Prix,
                words: vec!["ignored".into()],
            },
        ];
        let rules = cleaned_rules(&typed);
        assert_eq!(
            rules,
            vec![TopicRule {
                topic: Topic::Prix,
                words: vec!["remise".into()]
            }]
        );
        assert_eq!(topics_in("Une belle remise", &rules), vec![Topic::Prix]);
        assert!(
            topics_in("Trop cher", &rules).is_empty(),
            "'cher' is no longer a price word"
        );
        assert_eq!(
            topics_in("Accueil froid", &rules),
            vec![Topic::Accueil],
            "other topics keep the app's words"
        );
        assert_eq!(topic_rules(&rules)[1].words, vec!["remise".to_owned()]);
    }

    #[test]
    fn a_topic_without_a_sentence_for_that_rating_adds_nothing_and_is_not_claimed() {
        let r = review(5, "Rapide", "Livré vite", "fr", "Léa");
        let s = suggest(&r, &set(), "M", &[]).expect("a suggestion");
        assert!(s.topics.is_empty(), "no praised-delay sentence in this set");
        assert_eq!(s.text, "Bonjour Léa,\n\nMerci !\n\nL'équipe M");
    }

    #[test]
    fn no_whole_reply_template_for_the_rating_means_no_suggestion() {
        let only_topics: Vec<_> = set().into_iter().filter(|t| t.topic.is_some()).collect();
        assert_eq!(
            suggest(&review(3, "", "", "fr", "A"), &only_topics, "M", &[]),
            None
        );
    }

    #[test]
    fn fields_are_filled_in_both_spellings_and_dates_written_out() {
        let r = review(5, "", "", "fr", "Élodie-Anne B.");
        let f = Fields::of(&r, "Chez Paul", "fr");
        assert_eq!(
            fill(
                "{prénom}/{first_name}, {entreprise}/{company}, le {date}",
                &f,
                ""
            ),
            "Élodie-Anne/Élodie-Anne, Chez Paul/Chez Paul, le 20 novembre 2026"
        );
        assert_eq!(long_date("2026-03-01", "fr"), "1er mars 2026");
        assert_eq!(long_date("2026-03-01", "en"), "1 March 2026");
        assert_eq!(long_date("hier", "fr"), "hier");
        assert_eq!(first_name("J."), "");
        assert_eq!(first_name("Client 42"), "");
    }

    #[test]
    fn rules_list_every_topic_with_its_words() {
        let rules = topic_rules(&[]);
        assert_eq!(rules.len(), Topic::ALL.len());
        assert!(rules.iter().all(|r| !r.words.is_empty()));
        assert!(rules[0].words.contains(&"accueil".to_owned()));
    }
}
