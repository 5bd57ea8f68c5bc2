//! The `[audit]` policy section: defaults, overrides, calendar list files,
//! `extends`, the canonical form, and errors that name where.

use std::fs;
use xianshen::{Date, Policy};

fn date(s: &str) -> Date {
    s.parse().expect("a date")
}

#[test]
fn defaults_without_an_audit_section() {
    let audit = Policy::default().audit();
    assert_eq!(audit.deadline("咨询"), 1);
    assert_eq!(audit.deadline("投诉"), 5);
    assert_eq!(audit.deadline("多部门"), 15);
    assert_eq!(audit.deadline("没有的类别"), 5);
    assert_eq!(audit.severe_gap_days, 14);
    assert_eq!(audit.boilerplate_min_messages, 3);
    assert!((audit.boilerplate_similarity - 0.9).abs() < 1e-12);
    assert!(audit.calendar.years.is_empty());
    // No [audit] section: the canonical form has none either.
    assert!(!Policy::default().to_toml().contains("[audit"));
}

#[test]
fn settings_override_the_defaults() {
    let p = Policy::from_toml(
        r#"
[meta]
name = "t"
[audit]
deadlines = { "咨询" = 2, "求助" = 3 }
default_deadline = 7
severe_gap_days = 10
boilerplate_min_messages = 5
boilerplate_similarity = 0.8
"#,
    )
    .unwrap();
    let audit = p.audit();
    assert_eq!(audit.deadline("咨询"), 2);
    assert_eq!(audit.deadline("求助"), 3);
    assert_eq!(audit.deadline("建议"), 5);
    assert_eq!(audit.deadline("其他"), 7);
    assert_eq!(audit.severe_gap_days, 10);
    assert_eq!(audit.boilerplate_min_messages, 5);
}

#[test]
fn calendar_files_are_inlined_and_their_years_covered() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cal.txt"),
        "# 2027 holidays\n2027-01-01\t休\n2027-02-06\t班\n",
    )
    .unwrap();
    let toml = r#"
[meta]
name = "t"
[audit.calendar]
years = [2028]
files = ["cal.txt"]
holidays = ["2028-01-01"]
"#;
    let p = Policy::from_toml_in(toml, Some(dir.path())).unwrap();
    let cal = p.audit().calendar;
    assert!(cal.holidays.contains(&date("2027-01-01")));
    assert!(cal.holidays.contains(&date("2028-01-01")));
    assert!(cal.workdays.contains(&date("2027-02-06")));
    assert_eq!(cal.years.iter().copied().collect::<Vec<_>>(), [2027, 2028]);
    // The canonical form needs no file and keeps the fingerprint.
    let again = Policy::from_toml(&p.to_toml()).unwrap();
    assert_eq!(again.fingerprint(), p.fingerprint());
    assert_eq!(again.audit(), p.audit());
}

#[test]
fn extends_unites_calendars_and_overrides_settings() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("base.toml"),
        "[meta]\nname = \"base\"\n[audit]\nsevere_gap_days = 7\ndeadlines = { \"求助\" = 2 }\n[audit.calendar]\nholidays = [\"2027-01-01\"]\n",
    )
    .unwrap();
    let toml = "[meta]\nname = \"unit\"\nextends = \"base.toml\"\n[audit]\ndeadlines = { \"求助\" = 4 }\n[audit.calendar]\nworkdays = [\"2027-02-06\"]\n";
    let audit = Policy::from_toml_in(toml, Some(dir.path()))
        .unwrap()
        .audit();
    assert_eq!(audit.severe_gap_days, 7);
    assert_eq!(audit.deadline("求助"), 4);
    assert!(audit.calendar.holidays.contains(&date("2027-01-01")));
    assert!(audit.calendar.workdays.contains(&date("2027-02-06")));
}

#[test]
fn a_bad_calendar_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cal.txt"),
        "2027-01-01\t休\n2027-02-30\t休\n",
    )
    .unwrap();
    let toml = "[meta]\nname = \"t\"\n[audit.calendar]\nfiles = [\"cal.txt\"]\n";
    let err = Policy::from_toml_in(toml, Some(dir.path())).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("cal.txt:2:1"), "{msg}");
    assert!(msg.contains("2027-02-30"), "{msg}");

    fs::write(dir.path().join("cal.txt"), "2027-01-01\tholiday\n").unwrap();
    let msg = Policy::from_toml_in(toml, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("cal.txt:1:1") && msg.contains("休"), "{msg}");
}

#[test]
fn a_missing_calendar_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "[meta]\nname = \"t\"\n[audit.calendar]\nfiles = [\"nowhere.txt\"]\n";
    let msg = Policy::from_toml_in(toml, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("nowhere.txt"), "{msg}");
}

#[test]
fn bad_values_are_errors() {
    for (body, expected) in [
        (
            "[audit]\nboilerplate_similarity = 1.5\n",
            "boilerplate_similarity",
        ),
        (
            "[audit]\nboilerplate_min_messages = 1\n",
            "boilerplate_min_messages",
        ),
        ("[audit]\nsevere_gap_days = 0\n", "severe_gap_days"),
        ("[audit]\ndeadlines = { \"咨询\" = -1 }\n", "<policy>:4:"),
        ("[audit]\nunknown = 1\n", "unknown field"),
        (
            "[audit.calendar]\nholidays = [\"2027-13-01\"]\n",
            "2027-13-01",
        ),
        (
            "[audit.calendar]\nholidays = [\"2027-01-01\"]\nworkdays = [\"2027-01-01\"]\n",
            "both",
        ),
    ] {
        let toml = format!("[meta]\nname = \"t\"\n{body}");
        let msg = Policy::from_toml(&toml).unwrap_err().to_string();
        assert!(msg.contains(expected), "{body:?}: {msg}");
    }
}
