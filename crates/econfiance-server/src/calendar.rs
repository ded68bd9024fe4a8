//! Business days in France: weekends and French public holidays excluded, and the demo
//! appointment slots built on them (30 minutes, 9:00–18:00, Europe/Paris).

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Length of a demo slot.
pub const SLOT_MINUTES: i64 = 30;
/// First slot of a day (hour, Europe/Paris).
pub const DAY_START_HOUR: i8 = 9;
/// End of the last slot of a day (hour, Europe/Paris).
pub const DAY_END_HOUR: i8 = 18;
/// How many business days are offered.
pub const BUSINESS_DAYS_OFFERED: usize = 10;

/// Easter Sunday of `year` (Gregorian computus, Anonymous algorithm).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction.
    Date::new(year, month as i8, day as i8).unwrap_or(Date::constant(2000, 4, 23))
}

/// Whether `date` is a French public holiday (metropolitan France: the eleven days of the
/// Code du travail, art. L3133-1).
pub fn is_public_holiday(date: Date) -> bool {
    let fixed = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    if fixed.contains(&(date.month(), date.day())) {
        return true;
    }
    let easter = easter_sunday(date.year());
    [1, 39, 50]
        .iter()
        .filter_map(|days| easter.checked_add(jiff::Span::new().days(*days)).ok())
        .any(|holiday| holiday == date)
}

/// Whether `date` is a working day: not a Saturday, Sunday or public holiday.
pub fn is_business_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(date)
}

/// The next `n` business days strictly after `today`.
pub fn next_business_days(today: Date, n: usize) -> Vec<Date> {
    let mut days = Vec::with_capacity(n);
    let mut day = today;
    while days.len() < n {
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
        if is_business_day(day) {
            days.push(day);
        }
    }
    days
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

/// Today's date in Paris at `now` (Unix seconds).
pub fn paris_today(now: i64) -> Date {
    Timestamp::from_second(now)
        .map(|t| t.to_zoned(paris()).date())
        .unwrap_or(Date::constant(2026, 1, 1))
}

/// The start times (Unix seconds) of the slots of `date`, 9:00 to 17:30 Paris time.
pub fn day_slots(date: Date) -> Vec<i64> {
    let tz = paris();
    let mut slots = Vec::new();
    let mut minutes = i64::from(DAY_START_HOUR) * 60;
    while minutes + SLOT_MINUTES <= i64::from(DAY_END_HOUR) * 60 {
        let time = jiff::civil::Time::constant((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
        if let Ok(zoned) = date.to_datetime(time).to_zoned(tz.clone()) {
            slots.push(zoned.timestamp().as_second());
        }
        minutes += SLOT_MINUTES;
    }
    slots
}

/// Every slot start offered at `now`: the slots of the next business days.
pub fn offered_slots(now: i64) -> Vec<(Date, Vec<i64>)> {
    next_business_days(paris_today(now), BUSINESS_DAYS_OFFERED)
        .into_iter()
        .map(|d| (d, day_slots(d)))
        .collect()
}

/// `HH:MM` of a slot in Paris.
pub fn paris_hhmm(unix: i64) -> String {
    Timestamp::from_second(unix)
        .map(|t| t.to_zoned(paris()).strftime("%H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).expect("valid date")
    }

    #[test]
    fn easter_dates_match_the_calendar() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
    }

    #[test]
    fn french_public_holidays_are_known() {
        for holiday in [
            d(2026, 1, 1),
            d(2026, 4, 6), // lundi de Pâques
            d(2026, 5, 1),
            d(2026, 5, 8),
            d(2026, 5, 14), // Ascension
            d(2026, 5, 25), // lundi de Pentecôte
            d(2026, 7, 14),
            d(2026, 8, 15),
            d(2026, 11, 1),
            d(2026, 11, 11),
            d(2026, 12, 25),
        ] {
            assert!(is_public_holiday(holiday), "{holiday}");
            assert!(!is_business_day(holiday), "{holiday}");
        }
        for ordinary in [d(2026, 4, 7), d(2026, 7, 15), d(2026, 11, 27)] {
            assert!(!is_public_holiday(ordinary), "{ordinary}");
        }
    }

    #[test]
    fn weekends_are_not_business_days() {
        assert!(!is_business_day(d(2026, 11, 28))); // Saturday
        assert!(!is_business_day(d(2026, 11, 29))); // Sunday
        assert!(is_business_day(d(2026, 11, 30))); // Monday
    }

    #[test]
    fn ten_business_days_skip_weekends_and_holidays() {
        // From Thursday 9 July 2026: Friday 10, then 13, (14 July skipped), 15, 16, 17, 20…
        let days = next_business_days(d(2026, 7, 9), 10);
        assert_eq!(days.len(), 10);
        assert_eq!(days[0], d(2026, 7, 10));
        assert_eq!(days[1], d(2026, 7, 13));
        assert_eq!(days[2], d(2026, 7, 15));
        assert!(!days.contains(&d(2026, 7, 14)));
        assert!(days.iter().all(|day| is_business_day(*day)));
        // Around Easter Monday 2026.
        let days = next_business_days(d(2026, 4, 2), 3);
        assert_eq!(days, vec![d(2026, 4, 3), d(2026, 4, 7), d(2026, 4, 8)]);
    }

    #[test]
    fn a_day_has_eighteen_half_hour_slots_from_nine_paris_time() {
        let slots = day_slots(d(2026, 11, 30));
        assert_eq!(slots.len(), 18);
        assert_eq!(paris_hhmm(slots[0]), "09:00");
        assert_eq!(paris_hhmm(slots[17]), "17:30");
        // 9:00 in Paris in winter is 8:00 UTC.
        assert_eq!(crate::clock::rfc3339(slots[0]), "2026-11-30T08:00:00Z");
        // And in summer 7:00 UTC.
        assert_eq!(
            crate::clock::rfc3339(day_slots(d(2026, 7, 15))[0]),
            "2026-07-15T07:00:00Z"
        );
    }
}

/// A date as the API writes it, `YYYY-MM-DD` exactly (the OpenAPI `date` format: four
/// digits of year from 0001, no sign, no spaces); anything else is None.
pub fn iso_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date: Date = if shaped {
        text.parse().ok()?
    } else {
        return None;
    };
    (date.year() >= 1).then_some(date)
}

#[cfg(test)]
mod iso_date_tests {
    use super::iso_date;

    #[test]
    fn only_the_api_form_of_a_date_is_read() {
        assert_eq!(
            iso_date("2026-11-27").map(|d| d.to_string()).as_deref(),
            Some("2026-11-27")
        );
        for wrong in [
            "",
            " 2026-11-27",
            "2026-11-27 ",
            "2026-1-27",
            "+02026-11-27",
            "2026-02-30",
            "0000-01-01",
            "2026/11/27",
            "２０２６-11-27",
        ] {
            assert_eq!(iso_date(wrong), None, "{wrong:?}");
        }
    }
}
