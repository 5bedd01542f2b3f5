//! Small helpers with no place of their own.

/// RFC 3339 from a git timestamp and offset, without a date library.
pub fn format_time(secs: i64, offset_min: i32) -> String {
    let local = secs + offset_min as i64 * 60;
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn rfc3339() {
        assert_eq!(format_time(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(format_time(1_700_000_000, 60), "2023-11-14T23:13:20+01:00");
        assert_eq!(format_time(951_782_400, -300), "2000-02-28T19:00:00-05:00");
    }
}
