// The UI's words, French first. Messages for errors come from Rust ({code, message});
// these are the screen's own texts.
import type { Language } from "./bindings";

const fr = {
  appName: "e-confiance",
  tagline: "Vos avis clients, votre indice de confiance, au même endroit.",
  languageSwitch: "English",
  languageSwitchLabel: "Switch to English",
  loginTitle: "Connexion à votre espace",
  loginIntro:
    "Saisissez l'adresse e-mail de votre compte e-confiance. La connexion se fait par un lien envoyé à cette adresse.",
  emailLabel: "Adresse e-mail",
  emailPlaceholder: "nom@entreprise.fr",
  emailInvalid:
    "Cette adresse e-mail n'est pas valide. Vérifiez-la, par exemple : nom@entreprise.fr.",
  emailEmpty: "Saisissez votre adresse e-mail.",
  emailValid: "Adresse e-mail valide.",
  statusChecking: "Vérification de l'état de la plateforme…",
  statusOperational: "Plateforme e-confiance : tout fonctionne normalement.",
  statusDegraded: "Plateforme e-confiance : fonctionnement perturbé.",
  statusOutage: "Plateforme e-confiance : indisponible pour le moment.",
  statusRetry: "Réessayer",
  linkRefusedTitle: "Lien refusé",
  linkAcceptedTitle: "Lien reçu",
  close: "Fermer",
  noAccount:
    "Pas encore de compte ? Les comptes sont ouverts par l'équipe e-confiance après une démonstration.",
  version: "Version",
};

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  appName: "e-confiance",
  tagline: "Your customer reviews and your trust index, in one place.",
  languageSwitch: "Français",
  languageSwitchLabel: "Passer en français",
  loginTitle: "Log in to your account",
  loginIntro:
    "Enter the e-mail address of your e-confiance account. You log in through a link sent to that address.",
  emailLabel: "E-mail address",
  emailPlaceholder: "name@company.com",
  emailInvalid: "This e-mail address is not valid. Check it, for example: name@company.com.",
  emailEmpty: "Enter your e-mail address.",
  emailValid: "Valid e-mail address.",
  statusChecking: "Checking the platform's status…",
  statusOperational: "e-confiance platform: everything is working normally.",
  statusDegraded: "e-confiance platform: service disrupted.",
  statusOutage: "e-confiance platform: unavailable at the moment.",
  statusRetry: "Try again",
  linkRefusedTitle: "Link refused",
  linkAcceptedTitle: "Link received",
  close: "Close",
  noAccount: "No account yet? Accounts are opened by the e-confiance team after a demo.",
  version: "Version",
};

const dictionaries: Record<Language, Record<MessageKey, string>> = { fr, en };

export type Translate = (key: MessageKey) => string;

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key) => dictionary[key];
}

export function otherLanguage(language: Language): Language {
  return language === "fr" ? "en" : "fr";
}
