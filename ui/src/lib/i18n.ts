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
    "Saisissez l'adresse e-mail de votre compte e-confiance : nous vous envoyons un lien de connexion.",
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
  sendLink: "Recevoir mon lien de connexion",
  usePassword: "Se connecter avec un mot de passe",
  forgotPassword: "J'ai oublié mon mot de passe",
  forgotTitle: "Mot de passe oublié",
  forgotIntro:
    "Saisissez l'adresse e-mail de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe.",
  forgotSubmit: "Réinitialiser mon mot de passe",
  resetSentTitle: "Vérifiez votre boîte mail",
  resetSentBody:
    "Si un compte e-confiance existe pour cette adresse, un e-mail vient de lui être envoyé. Ouvrez le lien qu'il contient sur cet ordinateur : l'application vous demandera votre nouveau mot de passe.",
  backToLogin: "Retour à la connexion",
  newPasswordTitle: "Nouveau mot de passe",
  newPasswordFor: "Choisissez le nouveau mot de passe du compte",
  newPasswordLabel: "Nouveau mot de passe (10 caractères au moins)",
  confirmPasswordLabel: "Confirmez le mot de passe",
  passwordsDiffer: "Les deux mots de passe ne sont pas identiques.",
  savePassword: "Enregistrer le mot de passe",
  passwordChanged:
    "Votre mot de passe est modifié. Par sécurité, vos sessions ont été fermées : connectez-vous avec le nouveau mot de passe.",
  useLink: "Recevoir plutôt un lien de connexion",
  passwordLabel: "Mot de passe",
  passwordSubmit: "Se connecter",
  sending: "Envoi en cours…",
  checkMailTitle: "Vérifiez votre boîte mail",
  checkMailSent: "Nous avons envoyé un lien de connexion à",
  checkMailExpires: "Le lien et son code expirent dans",
  checkMailExpired: "Le lien a expiré. Demandez-en un nouveau.",
  checkMailSpam: "Pensez à vérifier vos courriers indésirables.",
  resend: "Renvoyer",
  resendIn: "Renvoyer dans",
  codeLabel: "Ou saisissez le code reçu par e-mail",
  codePlaceholder: "K7M4-QX2P",
  codeSubmit: "Se connecter",
  changeEmail: "Utiliser une autre adresse",
  signedInTitle: "Tableau de bord",
  signedInAs: "Vous êtes connecté en tant que",
  memoryOnly:
    "Le trousseau de clés de votre ordinateur est verrouillé ou indisponible : vous resterez connecté jusqu'à la fermeture de l'application. Déverrouillez-le (ou installez-en un) pour rester connecté ensuite.",
  logout: "Se déconnecter",
  dashboardSoon:
    "Les avis, la note moyenne et l'indice de confiance de votre entreprise s'afficheront ici.",
};

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  appName: "e-confiance",
  tagline: "Your customer reviews and your trust index, in one place.",
  languageSwitch: "Français",
  languageSwitchLabel: "Passer en français",
  loginTitle: "Log in to your account",
  loginIntro: "Enter the e-mail address of your e-confiance account: we send you a login link.",
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
  sendLink: "Send me my login link",
  usePassword: "Log in with a password",
  forgotPassword: "I forgot my password",
  forgotTitle: "Forgotten password",
  forgotIntro: "Enter your account's e-mail address: we send you a link to choose a new password.",
  forgotSubmit: "Reset my password",
  resetSentTitle: "Check your mailbox",
  resetSentBody:
    "If an e-confiance account exists for this address, an e-mail has just been sent to it. Open its link on this computer: the app will ask for your new password.",
  backToLogin: "Back to login",
  newPasswordTitle: "New password",
  newPasswordFor: "Choose the new password of the account",
  newPasswordLabel: "New password (at least 10 characters)",
  confirmPasswordLabel: "Confirm the password",
  passwordsDiffer: "The two passwords differ.",
  savePassword: "Save the password",
  passwordChanged:
    "Your password is changed. For your safety, your sessions were ended: log in with the new password.",
  useLink: "Get a login link instead",
  passwordLabel: "Password",
  passwordSubmit: "Log in",
  sending: "Sending…",
  checkMailTitle: "Check your mailbox",
  checkMailSent: "We sent a login link to",
  checkMailExpires: "The link and its code expire in",
  checkMailExpired: "The link has expired. Ask for a new one.",
  checkMailSpam: "Remember to check your spam folder.",
  resend: "Send again",
  resendIn: "Send again in",
  codeLabel: "Or type the code from the e-mail",
  codePlaceholder: "K7M4-QX2P",
  codeSubmit: "Log in",
  changeEmail: "Use another address",
  signedInTitle: "Dashboard",
  signedInAs: "You are logged in as",
  memoryOnly:
    "Your computer's keyring is locked or unavailable: you will stay logged in until the app closes. Unlock it (or install one) to stay logged in afterwards.",
  logout: "Log out",
  dashboardSoon: "Your company's reviews, average rating and trust index will show here.",
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
