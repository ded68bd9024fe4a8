//! The monthly report: one month's figures, the trust index and the 12-month chart as a
//! page made to be printed — opened in the browser, then printed or saved as PDF with the
//! browser's own "Print" (its button does that). One self-contained HTML file: no script
//! from elsewhere, no image to fetch, every text escaped.

use econfiance_api::reviews::{PointStatus, Summary, TrustIndex};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::Language;

/// Today on the platform's calendar: its days are Paris days (the dashboard's periods and
/// months), whatever this computer's own zone.
pub fn platform_today() -> jiff::civil::Date {
    paris_day(jiff::Timestamp::now())
}

/// The Paris calendar day of the moment `at` (UTC's if the zone database lacks Paris).
pub fn paris_day(at: jiff::Timestamp) -> jiff::civil::Date {
    let zone = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    at.to_zoned(zone).date()
}

/// The calendar month before `today`: its first and last days.
pub fn previous_month(today: jiff::civil::Date) -> (jiff::civil::Date, jiff::civil::Date) {
    let first_of_this = today.first_of_month();
    let last = first_of_this.yesterday().unwrap_or(first_of_this);
    (last.first_of_month(), last)
}

fn month_name(date: jiff::civil::Date, lang: Language) -> String {
    let name = crate::replies::month_name(date, lang == Language::En);
    format!("{name} {}", date.year())
}

/// `2026-11-30` → `30/11/2026` (as French and British readers write it).
fn day(iso: &str) -> String {
    match iso.parse::<jiff::civil::Date>() {
        Ok(d) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Err(_) => iso.to_owned(),
    }
}

fn number(value: Option<f64>, lang: Language) -> String {
    match value {
        None => "–".to_owned(),
        Some(v) => {
            let text = format!("{v:.1}");
            match lang {
                Language::Fr => text.replace('.', ","),
                Language::En => text,
            }
        }
    }
}

/// The bars of the months up to the report's (reviews per month), drawn as an SVG.
fn chart(summary: &Summary, month: jiff::civil::Date, lang: Language) -> Markup {
    let last = month.strftime("%Y-%m").to_string();
    let months: Vec<_> = summary.monthly.iter().filter(|m| m.month <= last).collect();
    let max = months.iter().map(|m| m.count).max().unwrap_or(0).max(1);
    let (width, height, bar) = (600u32, 180u32, 40u32);
    // Bars up to `height`, below 14 px for the tallest one's count.
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height + 44) role="img"
            aria-label=(lang.pick("Avis par mois", "Reviews per month")) {
            @for (i, m) in months.iter().enumerate() {
                @let x = u32::try_from(i).unwrap_or(0) * (bar + 10) + 5;
                @let h = m.count * height / max;
                rect x=(x) y=(14 + height - h) width=(bar) height=(h) fill="#2f5aa8" {}
                text x=(x + bar / 2) y=(height + 28) font-size="10" text-anchor="middle" { (m.month.get(5..).unwrap_or(&m.month)) }
                text x=(x + bar / 2) y=(11 + height - h) font-size="10" text-anchor="middle" { (m.count) }
            }
        }
    }
}

/// Whom a report is of: the company, and the establishments its figures count when they are
/// not all of them (the one chosen, or those a limited member sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The company's name.
    pub company: String,
    /// The establishments counted; empty: all of the company's.
    pub establishments: Vec<String>,
}

impl Subject {
    /// `Boulangerie Martin`, or `Boulangerie Martin — Bellecour, Croix-Rousse`.
    pub fn name(&self) -> String {
        econfiance_api::establishments::scoped_name(&self.company, &self.establishments)
    }
}

/// The report of `summary`'s period (the calendar month starting `month`) for `subject`;
/// `month_before` is the calendar month before's count of new reviews.
pub fn monthly_report(
    subject: &Subject,
    month: jiff::civil::Date,
    summary: &Summary,
    month_before: u32,
    trust: &TrustIndex,
    lang: Language,
) -> String {
    let title = format!(
        "{} — {} {}",
        subject.name(),
        lang.pick("rapport de", "report for"),
        month_name(month, lang)
    );
    // The trust index is the company's, whatever establishments the figures count.
    let trust_title = if subject.establishments.is_empty() {
        lang.pick("Indice de confiance", "Trust index")
    } else {
        lang.pick(
            "Indice de confiance de l'entreprise",
            "The company's trust index",
        )
    };
    let rows: [(&str, String); 7] = [
        (
            lang.pick("Nouveaux avis du mois", "New reviews this month"),
            summary.new_reviews.to_string(),
        ),
        (
            lang.pick(
                "Nouveaux avis du mois précédent",
                "New reviews the month before",
            ),
            month_before.to_string(),
        ),
        (
            lang.pick("Note moyenne du mois", "Average rating this month"),
            format!("{}/5", number(summary.period_average, lang)),
        ),
        (
            lang.pick(
                "Note moyenne, tous avis publiés",
                "Average rating, all published reviews",
            ),
            format!("{}/5", number(summary.average, lang)),
        ),
        (
            lang.pick("Avis publiés", "Published reviews"),
            summary.count.to_string(),
        ),
        (
            lang.pick("Taux de réponse", "Response rate"),
            format!("{} %", number(summary.response_rate, lang)),
        ),
        (
            lang.pick("Avis en attente de réponse", "Reviews awaiting an answer"),
            summary.awaiting_answer.to_string(),
        ),
    ];
    let status = |s: PointStatus| match s {
        PointStatus::Passed => lang.pick("validé", "passed"),
        PointStatus::Partial => lang.pick("partiel", "partial"),
        PointStatus::Failed => lang.pick("à corriger", "to fix"),
        PointStatus::Pending => lang.pick("en attente", "pending"),
    };
    let page = html! {
        (DOCTYPE)
        html lang=(lang.pick("fr", "en")) {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                button.print type="button" onclick="window.print()" {
                    (lang.pick("Imprimer ou enregistrer en PDF", "Print or save as PDF"))
                }
                h1 { (title) }
                p.muted { (lang.pick("Du", "From")) " " (day(&summary.from)) " " (lang.pick("au", "to")) " " (day(&summary.to)) " · e-confiance" }
                table {
                    @for (label, value) in &rows {
                        tr { th { (label) } td { (value) } }
                    }
                }
                h2 { (lang.pick("Avis par mois", "Reviews per month")) }
                (chart(summary, month, lang))
                h2 { (trust_title) " : " (trust.score) " %" }
                ul {
                    @for point in &trust.points {
                        li { strong { (point.label) } " — " (status(point.status)) }
                    }
                }
            }
        }
    };
    page.into_string()
}

const STYLE: &str = "body{font-family:sans-serif;color:#1d2433;max-width:720px;margin:24px auto;padding:0 16px}\
h1{font-size:1.4rem;color:#1d3a6e}h2{font-size:1.1rem;color:#1d3a6e;margin-top:24px}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d9dee8}\
td{text-align:right;font-weight:600}.muted{color:#5b6478}\
.print{float:right;padding:8px 14px;border:1px solid #1d3a6e;border-radius:6px;background:#fff;color:#1d3a6e}\
@media print{.print{display:none}body{margin:0}}";

#[cfg(test)]
mod tests {
    use super::*;
    use econfiance_api::reviews::{MonthPoint, TrustPoint};

    fn summary() -> Summary {
        Summary {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            average: Some(4.2),
            count: 565,
            distribution: vec![10, 20, 50, 185, 300],
            new_reviews: 31,
            previous_new_reviews: 27,
            change_percent: Some(14.8),
            period_average: Some(3.9),
            previous_average: Some(4.1),
            monthly: (1..=12)
                .map(|m| MonthPoint {
                    month: format!("2026-{m:02}"),
                    count: m * 3,
                    average: Some(4.0),
                })
                .collect(),
            response_rate: Some(59.0),
            median_response_hours: Some(20.5),
            awaiting_answer: 231,
        }
    }

    fn trust() -> TrustIndex {
        TrustIndex {
            score: 75,
            points: vec![TrustPoint {
                key: "ssl".into(),
                label: "Site sécurisé (SSL)".into(),
                status: PointStatus::Failed,
                explanation: String::new(),
            }],
        }
    }

    #[test]
    fn today_is_paris_s_day_whatever_the_computer_s_zone() {
        let at = |rfc: &str| rfc.parse::<jiff::Timestamp>().expect("an instant");
        let d = |y, m, day| jiff::civil::date(y, m, day);
        // 23:30 UTC on 30 November is 1 December in Paris: the report is November's.
        assert_eq!(paris_day(at("2026-11-30T23:30:00Z")), d(2026, 12, 1));
        assert_eq!(
            previous_month(paris_day(at("2026-11-30T23:30:00Z"))),
            (d(2026, 11, 1), d(2026, 11, 30))
        );
        // Summer time: 22:30 UTC is 00:30 the next day in Paris; 21:30 UTC is not.
        assert_eq!(paris_day(at("2026-06-30T22:30:00Z")), d(2026, 7, 1));
        assert_eq!(paris_day(at("2026-06-30T21:30:00Z")), d(2026, 6, 30));
    }

    #[test]
    fn the_previous_month_is_the_calendar_month_before_today() {
        let d = |y, m, day| jiff::civil::date(y, m, day);
        assert_eq!(
            previous_month(d(2026, 12, 1)),
            (d(2026, 11, 1), d(2026, 11, 30))
        );
        assert_eq!(
            previous_month(d(2026, 3, 31)),
            (d(2026, 2, 1), d(2026, 2, 28))
        );
        assert_eq!(
            previous_month(d(2027, 1, 15)),
            (d(2026, 12, 1), d(2026, 12, 31))
        );
    }

    fn company(name: &str) -> Subject {
        Subject {
            company: name.into(),
            establishments: Vec::new(),
        }
    }

    #[test]
    fn an_establishment_s_report_names_it_and_says_the_trust_index_is_the_company_s() {
        let subject = Subject {
            company: "Martin".into(),
            establishments: vec!["Bellecour".into(), "Croix-Rousse <2>".into()],
        };
        assert_eq!(subject.name(), "Martin — Bellecour, Croix-Rousse <2>");
        assert_eq!(company("Martin").name(), "Martin");
        let html = monthly_report(
            &subject,
            jiff::civil::date(2026, 11, 1),
            &summary(),
            19,
            &trust(),
            Language::Fr,
        );
        assert!(html.contains(
            "<h1>Martin — Bellecour, Croix-Rousse &lt;2&gt; — rapport de novembre 2026</h1>"
        ));
        assert!(html.contains("Indice de confiance de l'entreprise : 75 %"));
        let whole = monthly_report(
            &company("Martin"),
            jiff::civil::date(2026, 11, 1),
            &summary(),
            19,
            &trust(),
            Language::En,
        );
        assert!(whole.contains("Trust index : 75 %") && !whole.contains("company's trust"));
    }

    #[test]
    fn the_report_holds_the_figures_the_chart_and_the_trust_index_in_french() {
        let html = monthly_report(
            &company("Boulangerie <Martin>"),
            jiff::civil::date(2026, 11, 1),
            &summary(),
            19,
            &trust(),
            Language::Fr,
        );
        assert!(
            html.contains("Boulangerie &lt;Martin&gt; — rapport de novembre 2026"),
            "escaped title"
        );
        assert!(!html.contains("<Martin>"));
        assert!(
            html.contains("<td>31</td>")
                && html.contains("<td>3,9/5</td>")
                && html.contains("<td>59,0 %</td>")
        );
        assert_eq!(
            html.matches("<rect ").count(),
            11,
            "one bar per month up to November"
        );
        assert!(html.contains("<td>19</td>"), "the month before's count");
        assert!(html.contains("Indice de confiance : 75 %") && html.contains("à corriger"));
        assert!(html.contains("window.print()"), "its own print button");
        assert!(html.contains("Du 01/11/2026 au 30/11/2026"));
        assert!(!html.contains("src="), "nothing fetched from elsewhere");
    }

    #[test]
    fn the_report_speaks_english_too() {
        let html = monthly_report(
            &company("Martin"),
            jiff::civil::date(2026, 11, 1),
            &summary(),
            19,
            &trust(),
            Language::En,
        );
        assert!(html.contains("Martin — report for November 2026"));
        assert!(html.contains("<td>3.9/5</td>") && html.contains("to fix"));
    }
}
