//! The server's clock: Unix seconds, with an offset that tests move forward to reach
//! expiries (15-minute codes, the 60-second refresh grace) without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Current time source of the server.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Unix seconds now (plus the offset).
    pub fn now(&self) -> i64 {
        jiff::Timestamp::now().as_second() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves time forward by `seconds` (tests only need it; harmless otherwise).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// An HTTP date (`Fri, 27 Nov 2026 08:00:00 GMT`), for the `Date` header.
pub fn http_date(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .ok()
        .and_then(|t| {
            jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&t)
                .ok()
        })
        .unwrap_or_default()
}

/// RFC 3339 in UTC, e.g. `2026-11-27T08:00:00Z`.
pub fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A moment in Europe/Paris (UTC if the zone database lacks it); `None` out of range.
fn in_paris(unix: i64) -> Option<jiff::Zoned> {
    let ts = jiff::Timestamp::from_second(unix).ok()?;
    Some(
        ts.in_tz("Europe/Paris")
            .unwrap_or_else(|_| ts.to_zoned(jiff::tz::TimeZone::UTC)),
    )
}

/// The moment `days` Paris calendar days before `unix`, at the same time of day (a day of
/// a change of time is 23 or 25 hours long); `unix` itself when out of range.
pub fn paris_days_before(unix: i64, days: u16) -> i64 {
    in_paris(unix)
        .and_then(|zoned| zoned.checked_sub(jiff::Span::new().days(days)).ok())
        .map_or(unix, |before| before.timestamp().as_second())
}

/// French display of a moment, in Europe/Paris: `27/11/2026 à 09:00`.
pub fn paris_display(unix: i64, english: bool) -> String {
    let Some(zoned) = in_paris(unix) else {
        return String::new();
    };
    if english {
        zoned.strftime("%d/%m/%Y at %H:%M (Paris time)").to_string()
    } else {
        zoned
            .strftime("%d/%m/%Y à %H:%M (heure de Paris)")
            .to_string()
    }
}

/// The day of a moment in Europe/Paris, spelt out: `27 novembre 2026` / `27 November 2026`.
pub fn paris_day(unix: i64, english: bool) -> String {
    const MOIS: [&str; 12] = [
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
    let Some(zoned) = in_paris(unix) else {
        return String::new();
    };
    if english {
        return zoned.strftime("%-d %B %Y").to_string();
    }
    let month = usize::try_from(zoned.month() - 1).unwrap_or(0);
    let day = zoned.day();
    let day = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    format!("{day} {} {}", MOIS[month % 12], zoned.year())
}

/// The wall clock in Unix milliseconds: what instances share (the rate limits, the mail
/// queue), never moved by tests, unlike [`Clock`].
pub fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_spelt_out_in_both_languages() {
        // 2026-11-27 08:00 UTC; 2026-12-31 23:30 UTC is already 1 January 2027 in Paris.
        assert_eq!(paris_day(1_795_766_400, false), "27 novembre 2026");
        assert_eq!(paris_day(1_795_766_400, true), "27 November 2026");
        assert_eq!(paris_day(1_798_759_800, false), "1er janvier 2027");
        assert_eq!(paris_day(1_798_759_800, true), "1 January 2027");
    }

    #[test]
    fn paris_time_follows_french_conventions() {
        // 2026-11-27 08:00 UTC is 09:00 in Paris (winter time).
        let unix = 1_795_766_400;
        assert_eq!(rfc3339(unix), "2026-11-27T08:00:00Z");
        assert_eq!(
            paris_display(unix, false),
            "27/11/2026 à 09:00 (heure de Paris)"
        );
    }

    #[test]
    fn days_before_are_paris_calendar_days() {
        // 2026-11-27 08:00 UTC (09:00 Paris): 364 days before is 2025-11-28 09:00 Paris.
        assert_eq!(paris_days_before(1_795_766_400, 0), 1_795_766_400);
        assert_eq!(
            paris_days_before(1_795_766_400, 364),
            1_795_766_400 - 364 * 86_400
        );
        // 2026-03-30 21:30 UTC is 23:30 in Paris (summer time). Two days before is 28 March
        // at 23:30 in winter time: 47 hours earlier, across the 23-hour day of the change
        // (24-hour days would land on 29 March at 00:30).
        let monday = 1_774_906_200;
        assert_eq!(rfc3339(monday), "2026-03-30T21:30:00Z");
        let before = paris_days_before(monday, 2);
        assert_eq!(
            paris_display(before, false),
            "28/03/2026 à 23:30 (heure de Paris)"
        );
        assert_eq!(before, monday - 47 * 3600);
    }

    #[test]
    fn advance_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(901);
        assert!(clock.now() >= before + 901);
    }
}
