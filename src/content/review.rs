//! `reviewed:` dates: how a page shows them, and which ones `handbook check` warns about.
//!
//! Facts about frameworks age; a page that says when it was last checked, and a check that
//! names the pages not checked for `[book] review-max-age-days`, keep the handbook honest.

use crate::content::model::Model;

const MONTHS: [&str; 12] = [
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

/// `(year, month, day)` of a `YYYY-MM-DD` date (the model has checked the form).
fn parse(date: &str) -> Option<(i64, u32, u32)> {
    let mut parts = date.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month, day))
}

/// `2026-12-05` -> `5 December 2026`.
pub fn long_form(date: &str) -> Option<String> {
    let (year, month, day) = parse(date)?;
    Some(format!("{day} {} {year}", MONTHS[month as usize - 1]))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of a day counted since 1970-01-01 (the inverse of [`days`]).
pub fn date_of(days_since_epoch: i64) -> String {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The pages that changed most recently, newest first (ties by reading order), at most `n`:
/// each with its date, the later of its last commit (`updated`) and its `reviewed` date.
/// Pages with neither are left out.
pub fn recently_changed(model: &Model, n: usize) -> Vec<(usize, &str)> {
    let mut pages: Vec<(usize, &str)> = model
        .reading_order
        .iter()
        .filter_map(|&page| {
            let p = &model.pages[page];
            let date = [p.updated.as_deref(), p.source.front.reviewed.as_deref()]
                .into_iter()
                .flatten()
                .max()?;
            Some((page, date))
        })
        .collect();
    // Stable: equal dates keep the reading order.
    pages.sort_by(|a, b| b.1.cmp(a.1));
    pages.truncate(n);
    pages
}

/// Today (UTC) in days since 1970-01-01.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// One warning line per page whose `reviewed` date is more than `max_age_days` before `today`
/// (days since 1970-01-01), in page order.
pub fn stale(model: &Model, max_age_days: u32, today: i64) -> Vec<String> {
    model
        .pages
        .iter()
        .filter_map(|page| {
            let date = page.source.front.reviewed.as_deref()?;
            let (y, m, d) = parse(date)?;
            let age = today - days(y, m, d);
            (age > i64::from(max_age_days)).then(|| {
                format!(
                    "warning: {}: reviewed {date}, {age} days ago (more than review-max-age-days = {max_age_days})\n  = help: check the page's facts again, then set `reviewed:` to today's date",
                    page.source.file.display()
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn dates_round_trip() {
        for date in ["1970-01-01", "2000-02-29", "2026-12-05", "2100-03-01"] {
            let (y, m, d) = parse(date).unwrap();
            assert_eq!(date_of(days(y, m, d)), date);
        }
    }

    use super::*;

    #[test]
    fn dates_count_days_and_read_well() {
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(2000, 3, 1), 11_017);
        assert_eq!(days(2026, 12, 5) - days(2026, 6, 8), 180);
        assert_eq!(long_form("2026-12-05").unwrap(), "5 December 2026");
        assert_eq!(long_form("2026-13-05"), None);
    }
}
