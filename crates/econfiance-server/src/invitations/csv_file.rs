//! Reading a CSV of customers as owners' tools write it: UTF-8 with or without a BOM, or
//! Windows-1252 (Excel's "CSV" on a French Windows); `;` or `,` between values; French or
//! English column names in any order, accents and case ignored; dates as `AAAA-MM-JJ` or
//! `JJ/MM/AAAA`. Each line is checked on its own: a bad line is reported with its problem,
//! never a reason to refuse the others.

use econfiance_api::invitations::{CsvCustomer, LineProblem, LineProblemCode};

use crate::error::Lang;

/// A file that cannot be read as a list of customers at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// No header line.
    Empty,
    /// The header has no column for the customers' e-mails, or none for their names.
    MissingColumn {
        /// `email` or `name`.
        which: &'static str,
        /// The columns found, as written.
        found: Vec<String>,
    },
    /// More lines than one sending takes.
    TooManyLines(usize),
    /// Not CSV (quotes that never close…).
    Malformed(u32),
}

impl FileProblem {
    /// What happened and what to do, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FileProblem::Empty => lang.pick(
                "Ce fichier est vide. Choisissez un fichier CSV dont la première ligne nomme les colonnes (nom, e-mail, consentement…).",
                "This file is empty. Choose a CSV file whose first line names the columns (name, e-mail, consent…).",
            ),
            FileProblem::MissingColumn { which, found } => {
                let found = found.join(", ");
                match (*which, lang) {
                    ("email", Lang::Fr) => format!("Ce fichier n'a pas de colonne « e-mail » (colonnes trouvées : {found}). Nommez-la « e-mail » ou « email » sur la première ligne, puis choisissez le fichier à nouveau."),
                    ("email", Lang::En) => format!("This file has no \"e-mail\" column (columns found: {found}). Name it \"e-mail\" or \"email\" on the first line, then choose the file again."),
                    (_, Lang::Fr) => format!("Ce fichier n'a pas de colonne « nom » (colonnes trouvées : {found}). Nommez-la « nom » ou « name » sur la première ligne, puis choisissez le fichier à nouveau."),
                    (_, Lang::En) => format!("This file has no \"name\" column (columns found: {found}). Name it \"name\" or \"nom\" on the first line, then choose the file again."),
                }
            }
            FileProblem::TooManyLines(n) => match lang {
                Lang::Fr => format!("Ce fichier a {n} lignes ; une invitation groupée en prend {} au plus. Découpez-le en plusieurs fichiers.", econfiance_api::invitations::MAX_BATCH),
                Lang::En => format!("This file has {n} lines; one sending takes {} at most. Split it into several files.", econfiance_api::invitations::MAX_BATCH),
            },
            FileProblem::Malformed(line) => match lang {
                Lang::Fr => format!("La ligne {line} de ce fichier n'est pas lisible (un guillemet qui ne se ferme pas ?). Enregistrez-le à nouveau au format CSV depuis votre tableur."),
                Lang::En => format!("Line {line} of this file cannot be read (a quote that never closes?). Save it again as CSV from your spreadsheet."),
            },
        }
    }
}

/// A file read: the separator and encoding found, and each customer line checked on its
/// own (the checks against the company's past invitations are the caller's).
#[derive(Debug, Clone)]
pub struct ReadFile {
    /// `;` or `,`.
    pub separator: char,
    /// `utf-8` or `windows-1252`.
    pub encoding: &'static str,
    /// (line number, customer, problem) of each non-empty line after the header.
    pub lines: Vec<(u32, CsvCustomer, Option<LineProblem>)>,
}

/// Decodes `bytes`: UTF-8 (its BOM dropped) when it is valid UTF-8, else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "utf-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// The separator of a file whose first line is `header`: the one it holds more of,
/// outside quotes (`;` when tied: what French spreadsheets write).
pub fn separator_of(header: &str) -> char {
    let mut quoted = false;
    let (mut semicolons, mut commas) = (0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if commas > semicolons {
        ','
    } else {
        ';'
    }
}

/// A column name or a yes/no value, compared without case, accents, spaces or punctuation.
pub fn folded(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'î' | 'ï' | 'í' => Some('i'),
            'ô' | 'ö' | 'ó' => Some('o'),
            'ù' | 'û' | 'ü' | 'ú' => Some('u'),
            'ç' => Some('c'),
            'ÿ' => Some('y'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    FirstName,
    LastName,
    Email,
    Order,
    Date,
    Language,
    Consent,
}

fn column_of(header: &str) -> Option<Column> {
    let name = folded(header);
    let column = match name.as_str() {
        "nom" | "name" | "nomcomplet" | "fullname" | "client" | "customer" | "nomduclient"
        | "customername" | "prenometnom" | "prenomnom" => Column::Name,
        "prenom" | "firstname" | "givenname" => Column::FirstName,
        "nomdefamille" | "lastname" | "surname" | "familyname" => Column::LastName,
        "email" | "mail" | "courriel" | "adresseemail" | "adressemail" | "adressecourriel"
        | "emailaddress" => Column::Email,
        "commande"
        | "numerodecommande"
        | "ndecommande"
        | "numcommande"
        | "referencecommande"
        | "referencedecommande"
        | "reference"
        | "ref"
        | "order"
        | "orderref"
        | "orderreference"
        | "ordernumber"
        | "orderid"
        | "reservation"
        | "booking" => Column::Order,
        "date" | "dateexperience" | "datedelexperience" | "dateachat" | "datedachat"
        | "datecommande" | "datedecommande" | "datedevisite" | "datevisite" | "experiencedate"
        | "orderdate" | "purchasedate" | "visitdate" => Column::Date,
        "langue" | "language" | "lang" => Column::Language,
        "consentement" | "consent" | "accord" | "accordclient" | "optin" | "consentementclient"
        | "customerconsent" => Column::Consent,
        _ => return None,
    };
    Some(column)
}

/// Whether a consent cell says yes.
pub fn says_yes(cell: &str) -> bool {
    matches!(
        folded(cell).as_str(),
        "oui" | "yes" | "o" | "y" | "1" | "true" | "vrai" | "x" | "ok"
    )
}

/// `AAAA-MM-JJ` or `JJ/MM/AAAA` as `AAAA-MM-JJ`, if it is a real date.
pub fn parse_date(cell: &str) -> Option<jiff::civil::Date> {
    let cell = cell.trim();
    if let Ok(date) = cell.parse::<jiff::civil::Date>() {
        return Some(date);
    }
    let mut parts = cell.split(['/', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// `fr` or `en` from a language cell (`fr`, `français`, `English`…), if it names one.
fn language_of(cell: &str) -> Option<String> {
    match folded(cell).as_str() {
        "fr" | "francais" | "french" | "frfr" => Some("fr".into()),
        "en" | "anglais" | "english" | "engb" | "enus" => Some("en".into()),
        _ => None,
    }
}

fn problem(code: LineProblemCode, lang: Lang, fr: &str, en: &str) -> Option<LineProblem> {
    Some(LineProblem {
        code,
        message: lang.pick(fr, en),
    })
}

/// Reads `bytes` as a CSV of customers; `today` (Paris) bounds the dates. The header names
/// the columns; a name and an e-mail column are required, a consent column is expected on
/// every line (without it, every line says so).
pub fn read(bytes: &[u8], today: jiff::civil::Date, lang: Lang) -> Result<ReadFile, FileProblem> {
    let (text, encoding) = decode(bytes);
    let header_line = text.lines().next().unwrap_or_default();
    if header_line.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let separator = separator_of(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| FileProblem::Malformed(1))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let columns: Vec<Option<Column>> = headers.iter().map(|h| column_of(h)).collect();
    let find = |wanted: Column| columns.iter().position(|c| *c == Some(wanted));
    let email_at = find(Column::Email).ok_or_else(|| FileProblem::MissingColumn {
        which: "email",
        found: headers.clone(),
    })?;
    let (name_at, first_at, last_at) = (
        find(Column::Name),
        find(Column::FirstName),
        find(Column::LastName),
    );
    if name_at.is_none() && first_at.is_none() {
        return Err(FileProblem::MissingColumn {
            which: "name",
            found: headers.clone(),
        });
    }
    let (order_at, date_at, language_at, consent_at) = (
        find(Column::Order),
        find(Column::Date),
        find(Column::Language),
        find(Column::Consent),
    );

    let mut lines = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            FileProblem::Malformed(
                e.position()
                    .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX)),
            )
        })?;
        // (`p.line()` counts from the header's line as the reader sees it; the problem's
        // line is said approximately, the records' exactly below.)
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if lines.len() >= econfiance_api::invitations::MAX_BATCH {
            let rest = reader.records().count();
            return Err(FileProblem::TooManyLines(lines.len() + 1 + rest));
        }
        // The file's own line number: the line breaks before the record's first byte (the
        // reader's position may stand on the line breaks it skipped before the record).
        let line = record.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut start = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            let breaks = bytes[..start].iter().filter(|b| **b == b'\n').count();
            u32::try_from(breaks + 1).unwrap_or(u32::MAX)
        });
        let cell = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or_default()
                .to_owned()
        };
        // "Prénom" and "Nom" side by side make one name, first name first.
        let name = [cell(first_at), cell(name_at), cell(last_at)]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let email = cell(Some(email_at));
        let order = Some(cell(order_at)).filter(|o| !o.is_empty());
        let date_cell = cell(date_at);
        let date = parse_date(&date_cell);
        let customer = CsvCustomer {
            name: name.clone(),
            email: email.clone(),
            order_ref: order.clone(),
            experience_date: date
                .map(|d| d.to_string())
                .or_else(|| Some(date_cell.clone()).filter(|d| !d.is_empty())),
            language: language_of(&cell(language_at)),
        };
        let key = (email.to_lowercase(), order.clone().unwrap_or_default());
        let problem = if name.is_empty() {
            problem(
                LineProblemCode::MissingName,
                lang,
                "Le nom du client manque : ajoutez-le, il sert à le saluer dans l'e-mail.",
                "The customer's name is missing: add it, the e-mail greets them by it.",
            )
        } else if crate::auth::valid_email(&email, lang).is_err() {
            problem(
                LineProblemCode::InvalidEmail,
                lang,
                "Cette adresse e-mail n'est pas valide : corrigez-la dans le fichier (par exemple nom@exemple.fr).",
                "This e-mail address is not valid: correct it in the file (for example name@example.com).",
            )
        } else if name.chars().count() > 100
            || order.as_ref().is_some_and(|o| o.chars().count() > 100)
        {
            problem(
                LineProblemCode::TooLong,
                lang,
                "Le nom ou la référence de commande dépasse 100 caractères : raccourcissez-le.",
                "The name or the order reference is over 100 characters: shorten it.",
            )
        } else if !date_cell.is_empty() && date.is_none_or(|d| d > today) {
            problem(
                LineProblemCode::InvalidDate,
                lang,
                "La date n'est pas une date passée lisible : écrivez-la JJ/MM/AAAA, ou laissez-la vide.",
                "The date is not a readable past date: write it DD/MM/YYYY or YYYY-MM-DD, or leave it empty.",
            )
        } else if consent_at.is_none() {
            problem(
                LineProblemCode::NoConsent,
                lang,
                "Le fichier n'a pas de colonne « consentement » : ajoutez-la, avec « oui » pour chaque client qui a accepté d'être sollicité.",
                "The file has no \"consent\" column: add one, with \"yes\" for each customer who agreed to be asked.",
            )
        } else if !says_yes(&cell(consent_at)) {
            problem(
                LineProblemCode::NoConsent,
                lang,
                "Ce client n'a pas donné son accord (colonne « consentement ») : il ne sera pas sollicité.",
                "This customer has not agreed (\"consent\" column): they will not be asked.",
            )
        } else if !seen.insert(key) {
            problem(
                LineProblemCode::Duplicate,
                lang,
                "Ce client et cette commande figurent déjà plus haut dans le fichier : une seule invitation partira.",
                "This customer and order already appear higher in the file: one invitation only will go.",
            )
        } else {
            None
        };
        lines.push((line, customer, problem));
    }
    Ok(ReadFile {
        separator,
        encoding,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 12, 1)
    }

    fn codes(file: &ReadFile) -> Vec<Option<LineProblemCode>> {
        file.lines
            .iter()
            .map(|(_, _, p)| p.as_ref().map(|p| p.code))
            .collect()
    }

    #[test]
    fn french_excel_file_in_windows_1252_with_semicolons() {
        // "Prénom;Nom;Adresse e-mail;N° de commande;Date d'achat;Consentement", as Excel
        // writes it on a French Windows: é is 0xE9, ° is 0xB0.
        let mut bytes =
            b"Pr\xE9nom;Nom;Adresse e-mail;N\xB0 de commande;Date d'achat;Consentement\r\n"
                .to_vec();
        bytes.extend_from_slice(b"H\xE9l\xE8ne;Dupr\xE9;helene@exemple.fr;C-12;28/11/2026;Oui\r\n");
        let file = read(&bytes, today(), Lang::Fr).expect("read");
        assert_eq!(file.encoding, "windows-1252");
        assert_eq!(file.separator, ';');
        let (line, customer, problem) = &file.lines[0];
        assert_eq!(*line, 2);
        assert_eq!(customer.name, "Hélène Dupré");
        assert_eq!(customer.email, "helene@exemple.fr");
        assert_eq!(customer.order_ref.as_deref(), Some("C-12"));
        assert_eq!(customer.experience_date.as_deref(), Some("2026-11-28"));
        assert_eq!(*problem, None);
    }

    #[test]
    fn english_utf8_file_with_bom_and_commas_and_quotes() {
        let text = "\u{feff}Name,Email,Order,Date,Language,Consent\n\"Smith, Jo\",jo@example.com,A1,2026-11-30,English,yes\n";
        let file = read(text.as_bytes(), today(), Lang::En).expect("read");
        assert_eq!((file.encoding, file.separator), ("utf-8", ','));
        let (_, customer, problem) = &file.lines[0];
        assert_eq!(customer.name, "Smith, Jo");
        assert_eq!(customer.language.as_deref(), Some("en"));
        assert_eq!(*problem, None);
    }

    #[test]
    fn utf8_without_bom_with_semicolons() {
        let text = "nom;e-mail;consentement\nÉlodie;elodie@exemple.fr;x\n";
        let file = read(text.as_bytes(), today(), Lang::Fr).expect("read");
        assert_eq!((file.encoding, file.separator), ("utf-8", ';'));
        assert_eq!(file.lines[0].1.name, "Élodie");
        assert_eq!(codes(&file), vec![None]);
    }

    #[test]
    fn each_bad_line_says_why_and_leaves_the_others() {
        let text = "nom;email;commande;date;consentement\n\
                    Ana;ana@exemple.fr;1;;oui\n\
                    ;sans-nom@exemple.fr;2;;oui\n\
                    Bob;bob@;3;;oui\n\
                    Cléa;clea@exemple.fr;4;31/12/2099;oui\n\
                    Dan;dan@exemple.fr;5;;non\n\
                    Ana bis;ANA@exemple.fr;1;;oui\n\
                    \n\
                    Eve;eve@exemple.fr;6;pas une date;oui\n";
        let file = read(text.as_bytes(), today(), Lang::Fr).expect("read");
        assert_eq!(
            codes(&file),
            vec![
                None,
                Some(LineProblemCode::MissingName),
                Some(LineProblemCode::InvalidEmail),
                Some(LineProblemCode::InvalidDate),
                Some(LineProblemCode::NoConsent),
                Some(LineProblemCode::Duplicate),
                Some(LineProblemCode::InvalidDate),
            ]
        );
        // Line numbers are the file's (the empty line 8 skipped).
        let numbers: Vec<u32> = file.lines.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(numbers, vec![2, 3, 4, 5, 6, 7, 9]);
    }

    #[test]
    fn without_a_consent_column_every_line_says_so() {
        let text = "name,email\nJo,jo@example.com\n";
        let file = read(text.as_bytes(), today(), Lang::En).expect("read");
        let problem = file.lines[0].2.as_ref().expect("a problem");
        assert_eq!(problem.code, LineProblemCode::NoConsent);
        assert!(problem.message.contains("no \"consent\" column"));
    }

    #[test]
    fn a_file_without_e_mails_or_names_is_refused_whole() {
        assert_eq!(
            read(b"nom;telephone\nA;0102030405\n", today(), Lang::Fr)
                .expect_err("no e-mail column"),
            FileProblem::MissingColumn {
                which: "email",
                found: vec!["nom".into(), "telephone".into()]
            }
        );
        assert!(matches!(
            read(b"email;consent\na@b.fr;oui\n", today(), Lang::Fr),
            Err(FileProblem::MissingColumn { which: "name", .. })
        ));
        assert_eq!(
            read(b"", today(), Lang::Fr).expect_err("empty"),
            FileProblem::Empty
        );
    }

    #[test]
    fn too_many_lines_are_refused_with_their_count() {
        let mut text = String::from("nom;email;consentement\n");
        for i in 0..1001 {
            text.push_str(&format!("C{i};c{i}@exemple.fr;oui\n"));
        }
        assert_eq!(
            read(text.as_bytes(), today(), Lang::Fr).expect_err("too many"),
            FileProblem::TooManyLines(1001)
        );
    }

    #[test]
    fn separators_dates_and_yes_values() {
        assert_eq!(separator_of("a;b;c"), ';');
        assert_eq!(separator_of("a,b,c"), ',');
        assert_eq!(separator_of("\"a;b\",c,d"), ',');
        assert_eq!(separator_of("solo"), ';');
        assert_eq!(
            parse_date("05/03/2026"),
            Some(jiff::civil::date(2026, 3, 5))
        );
        assert_eq!(
            parse_date("2026-03-05"),
            Some(jiff::civil::date(2026, 3, 5))
        );
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("05/03/26"), None);
        for yes in ["Oui", "YES", "x", "1", "vrai"] {
            assert!(says_yes(yes), "{yes}");
        }
        for no in ["non", "", "0", "no", "peut-être"] {
            assert!(!says_yes(no), "{no}");
        }
        assert_eq!(folded("N° de Commande"), "ndecommande");
    }
}
