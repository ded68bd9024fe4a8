//! The starter templates every company begins with, in French and English: a whole reply
//! for good, mixed and bad reviews, and for each topic a sentence of thanks (4 and 5 stars)
//! and one of apology (1 to 3 stars). The owner changes or deletes them like their own.

use econfiance_api::templates::{TemplateBody, Topic};

/// One starter template.
pub struct Starter {
    name: &'static str,
    body: &'static str,
    language: &'static str,
    ratings: (u8, u8),
    topic: Option<Topic>,
}

impl Starter {
    /// As a new template.
    pub fn body(&self) -> TemplateBody {
        TemplateBody {
            name: self.name.to_owned(),
            body: self.body.to_owned(),
            language: self.language.to_owned(),
            min_rating: self.ratings.0,
            max_rating: self.ratings.1,
            topic: self.topic,
        }
    }
}

const fn whole(
    name: &'static str,
    language: &'static str,
    ratings: (u8, u8),
    body: &'static str,
) -> Starter {
    Starter {
        name,
        body,
        language,
        ratings,
        topic: None,
    }
}

const fn about(
    topic: Topic,
    name: &'static str,
    language: &'static str,
    ratings: (u8, u8),
    body: &'static str,
) -> Starter {
    Starter {
        name,
        body,
        language,
        ratings,
        topic: Some(topic),
    }
}

const GOOD: (u8, u8) = (4, 5);
const BAD: (u8, u8) = (1, 3);

/// Every starter template.
pub const ALL: [Starter; 22] = [
    whole("Remerciement (4 et 5 étoiles)", "fr", GOOD,
        "Bonjour {prénom},\n\nMerci beaucoup pour votre avis et pour votre confiance ! {sujets}\n\nAu plaisir de vous revoir bientôt,\nL'équipe {entreprise}"),
    whole("Avis mitigé (3 étoiles)", "fr", (3, 3),
        "Bonjour {prénom},\n\nMerci d'avoir pris le temps de raconter votre expérience du {date}. {sujets}\n\nVos remarques nous aident à progresser : n'hésitez pas à nous contacter directement pour en parler.\n\nCordialement,\nL'équipe {entreprise}"),
    whole("Avis négatif (1 et 2 étoiles)", "fr", (1, 2),
        "Bonjour {prénom},\n\nNous sommes sincèrement désolés que votre expérience du {date} n'ait pas été à la hauteur de vos attentes. {sujets}\n\nNous aimerions comprendre ce qui s'est passé et trouver une solution avec vous : pouvez-vous nous contacter directement ?\n\nCordialement,\nL'équipe {entreprise}"),
    about(Topic::Accueil, "Accueil apprécié", "fr", GOOD,
        "Toute l'équipe sera ravie de savoir que notre accueil vous a plu."),
    about(Topic::Prix, "Prix appréciés", "fr", GOOD,
        "Nous sommes heureux que nos prix vous aient semblé justes."),
    about(Topic::Delai, "Rapidité appréciée", "fr", GOOD,
        "Nous sommes contents d'avoir pu vous servir rapidement."),
    about(Topic::Qualite, "Qualité appréciée", "fr", GOOD,
        "Votre satisfaction sur la qualité de notre travail nous fait très plaisir."),
    about(Topic::Accueil, "Accueil critiqué", "fr", BAD,
        "Nous regrettons l'accueil que vous avez reçu : ce n'est pas ce que nous voulons offrir, et nous en parlerons avec l'équipe."),
    about(Topic::Prix, "Prix critiqués", "fr", BAD,
        "Nous entendons votre remarque sur nos prix et restons à votre disposition pour vous détailler ce qu'ils comprennent."),
    about(Topic::Delai, "Délai critiqué", "fr", BAD,
        "Nous sommes désolés pour l'attente : nous travaillons à réduire nos délais."),
    about(Topic::Qualite, "Qualité critiquée", "fr", BAD,
        "La qualité est notre priorité : nous voulons comprendre ce qui n'a pas fonctionné."),
    whole("Thank you (4 and 5 stars)", "en", GOOD,
        "Hello {first_name},\n\nThank you very much for your review and your trust! {topics}\n\nWe look forward to seeing you again,\nThe {company} team"),
    whole("Mixed review (3 stars)", "en", (3, 3),
        "Hello {first_name},\n\nThank you for taking the time to tell us about your experience of {date}. {topics}\n\nYour comments help us improve: feel free to contact us directly to talk about them.\n\nKind regards,\nThe {company} team"),
    whole("Negative review (1 and 2 stars)", "en", (1, 2),
        "Hello {first_name},\n\nWe are truly sorry that your experience of {date} did not meet your expectations. {topics}\n\nWe would like to understand what happened and find a solution with you: could you contact us directly?\n\nKind regards,\nThe {company} team"),
    about(Topic::Accueil, "Welcome praised", "en", GOOD,
        "The whole team will be delighted to hear you enjoyed our welcome."),
    about(Topic::Prix, "Prices praised", "en", GOOD,
        "We are glad you found our prices fair."),
    about(Topic::Delai, "Speed praised", "en", GOOD,
        "We are pleased we could serve you quickly."),
    about(Topic::Qualite, "Quality praised", "en", GOOD,
        "We are very happy you were pleased with the quality of our work."),
    about(Topic::Accueil, "Welcome criticised", "en", BAD,
        "We regret the welcome you received: it is not what we want to offer, and we will talk about it with the team."),
    about(Topic::Prix, "Prices criticised", "en", BAD,
        "We hear your remark about our prices and are happy to explain what they include."),
    about(Topic::Delai, "Delay criticised", "en", BAD,
        "We are sorry for the wait: we are working to shorten our delays."),
    about(Topic::Qualite, "Quality criticised", "en", BAD,
        "Quality is our priority: we want to understand what went wrong."),
];
