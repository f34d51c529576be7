//! The shop's clock: Europe/Prague wall time, as Upgates writes its timestamps.
//!
//! Prague is UTC+1, and UTC+2 from the last Sunday of March to the last Sunday of October
//! (both at 01:00 UTC). That rule is all the time-zone data the sandbox needs.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, Offset, SubsecRound, TimeZone, Utc, Weekday,
};
use shopflow_core::ApiDate;

/// Prague's UTC offset at `at`.
#[must_use]
pub fn prague_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let summer_start = last_sunday(year, 3);
    let summer_end = last_sunday(year, 10);
    let hours = if at >= summer_start && at < summer_end { 2 } else { 1 };
    FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix())
}

/// 01:00 UTC on the last Sunday of `month`.
fn last_sunday(year: i32, month: u32) -> DateTime<Utc> {
    let last_day =
        NaiveDate::from_ymd_opt(year, month + 1, 1).and_then(|d| d.pred_opt()).unwrap_or_default();
    let back = last_day.weekday().num_days_from_sunday();
    let sunday = last_day - chrono::Duration::days(i64::from(back));
    debug_assert_eq!(sunday.weekday(), Weekday::Sun);
    Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0).unwrap_or_default())
}

/// `at` as the shop writes it: an RFC 3339 datetime in Prague time.
#[must_use]
pub fn shop_time(at: DateTime<Utc>) -> ApiDate {
    ApiDate::from_utc(at, prague_offset(at))
}

/// Now, as the shop writes it (whole seconds, like the API).
#[must_use]
pub fn now() -> ApiDate {
    shop_time(Utc::now().trunc_subsecs(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_and_summer() {
        let winter: DateTime<Utc> = "2024-02-29T13:24:49Z".parse().unwrap();
        assert_eq!(shop_time(winter).to_string(), "2024-02-29T14:24:49+01:00");
        let summer: DateTime<Utc> = "2024-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(shop_time(summer).to_string(), "2024-07-01T12:00:00+02:00");
        // 2024-03-31 is the last Sunday of March: summer time from 01:00 UTC.
        assert_eq!(prague_offset("2024-03-31T00:59:59Z".parse().unwrap()).local_minus_utc(), 3600);
        assert_eq!(prague_offset("2024-03-31T01:00:00Z".parse().unwrap()).local_minus_utc(), 7200);
        assert_eq!(prague_offset("2024-10-27T01:00:00Z".parse().unwrap()).local_minus_utc(), 3600);
    }
}
