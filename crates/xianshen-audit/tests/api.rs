//! The public API beyond the golden cases: errors that stop an audit,
//! escaping in the HTML page, the CSV tables, batches, determinism.

use std::io::Cursor;
use xianshen_audit::{
    Audit, AuditError, AuditInput, AuditOptions, InputFormat, InputSource, RecordErrorKind,
};

fn options(from: &str, to: &str, audit: &str) -> AuditOptions {
    AuditOptions {
        from: from.parse().ok(),
        to: to.parse().ok(),
        audit_date: audit.parse().ok(),
        ..AuditOptions::default()
    }
}

fn run(posts: &str, messages: &str, options: &AuditOptions) -> Audit {
    let screener = xianshen::Screener::new();
    let input = AuditInput {
        posts: vec![InputSource::from_text(
            "posts.jsonl",
            InputFormat::Jsonl,
            posts,
        )],
        messages: vec![InputSource::from_text(
            "messages.jsonl",
            InputFormat::Jsonl,
            messages,
        )],
    };
    Audit::run(input, &screener, &screener.policy().audit(), options).unwrap()
}

#[test]
fn a_period_that_ends_before_it_starts_is_an_error() {
    let screener = xianshen::Screener::new();
    let err = Audit::run(
        AuditInput::default(),
        &screener,
        &screener.policy().audit(),
        &options("2026-02-01", "2026-01-01", "2026-03-01"),
    )
    .unwrap_err();
    assert!(matches!(err, AuditError::Period { .. }), "{err}");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let err = InputSource::open("/nonexistent/posts.jsonl").unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/posts.jsonl"),
        "{err}"
    );
}

#[test]
fn an_empty_archive_audits_to_an_empty_audit() {
    let audit = run("", "", &options("2026-03-01", "2026-03-31", "2026-04-01"));
    assert!(audit.accounts.is_empty() && audit.errors.is_empty());
    assert_eq!(audit.period.days, 31);
    assert!(audit.to_html().contains("Every record was read"));
}

#[test]
fn archive_text_is_escaped_in_the_page() {
    let posts = r#"{"account":"<script>alert(1)</script>","published":"2026-03-02","title":"<img src=x onerror=alert(1)>","text":"本店出售冰毒，量大从优 & \"quoted\""}"#;
    let messages = r#"{"id":"<b>m</b>","account":"<script>alert(1)</script>","asked":"2026-03-02","category":"<i>咨询</i>","text":"问？","replied":"2026-03-20","reply":"<a href='x'>答</a>"}"#;
    let audit = run(
        posts,
        messages,
        &options("2026-03-01", "2026-03-31", "2026-04-01"),
    );
    assert_eq!(audit.content.items.len(), 1);
    let html = audit.to_html();
    for raw in ["<script", "<img", "<b>m", "<i>", "<a href"] {
        assert!(!html.contains(raw), "unescaped {raw}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn csv_tables_quote_what_needs_quoting() {
    let posts = r#"{"account":"a,b","published":"2026-03-02","text":"文\n本"}"#;
    let messages = r#"{"id":"m1","account":"a,b","asked":"2026-03-02","text":"问题\"一\"","replied":"2026-03-03","reply":"答复"}"#;
    let audit = run(
        posts,
        messages,
        &options("2026-03-01", "2026-03-08", "2026-03-09"),
    );
    let tables = audit.to_csv_tables();
    let names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "accounts.csv",
            "weeks.csv",
            "gaps.csv",
            "messages.csv",
            "boilerplate.csv",
            "off_topic.csv",
            "content_months.csv",
            "content_rules.csv",
            "content_items.csv",
            "errors.csv"
        ]
    );
    let messages = &tables[3].1;
    assert!(messages.starts_with("id,account,file,line,category,deadline_days,asked,replied,deadline,working_days,status,boilerplate,off_topic\n"));
    assert!(messages.contains("m1,\"a,b\",messages.jsonl,1,,5,2026-03-02T00:00:00+08:00,2026-03-03T00:00:00+08:00,2026-03-09,1,on_time,false,"));
    let weeks = &tables[1].1;
    assert_eq!(
        weeks,
        "account,week,start,days_in_period,posts\n\"a,b\",2026-W09,2026-02-23,1,0\n\"a,b\",2026-W10,2026-03-02,7,1\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let written = audit.write_csv_tables(dir.path().join("tables")).unwrap();
    assert_eq!(written.len(), 10);
    assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), *weeks);
}

/// An archive longer than a batch: counts, weeks and errors come out the
/// same as for the records one by one, and two runs give the same JSON.
#[test]
fn many_batches_and_determinism() {
    let mut posts = String::new();
    for i in 0..20_000u32 {
        let day = 1 + i % 28;
        if i % 4_999 == 17 {
            posts.push_str("{broken\n");
        } else {
            posts.push_str(&format!(
                "{{\"id\":\"p{i}\",\"account\":\"acct{}\",\"published\":\"2026-02-{day:02} 09:00\",\"text\":\"第{i}条：电话13812345678\"}}\n",
                i % 3
            ));
        }
    }
    let mut messages = String::new();
    for i in 0..9_000u32 {
        messages.push_str(&format!(
            "{{\"id\":\"m{i}\",\"account\":\"acct{}\",\"asked\":\"2026-02-{:02} 09:00\",\"category\":\"咨询\",\"text\":\"问题{i}关于图书馆\",\"replied\":\"2026-02-27 09:00\",\"reply\":\"感谢您的留言，已转相关部门处理。\"}}\n",
            i % 3,
            1 + i % 26
        ));
    }
    let o = options("2026-02-01", "2026-02-28", "2026-03-01");
    let screener = xianshen::Screener::new();
    let go = || {
        let input = AuditInput {
            posts: vec![InputSource::from_reader(
                "posts.jsonl",
                InputFormat::Jsonl,
                Cursor::new(posts.clone().into_bytes()),
            )],
            messages: vec![InputSource::from_reader(
                "messages.jsonl",
                InputFormat::Jsonl,
                Cursor::new(messages.clone().into_bytes()),
            )],
        };
        Audit::run(input, &screener, &screener.policy().audit(), &o).unwrap()
    };
    let audit = go();
    let broken: Vec<u64> = audit.errors.iter().map(|e| e.line).collect();
    assert_eq!(broken, [18, 5017, 10016, 15015]);
    assert!(audit.errors.iter().all(|e| e.kind == RecordErrorKind::Json));
    assert_eq!(audit.inputs.posts.audited, 20_000 - 4);
    assert_eq!(audit.content.items.len(), 20_000 - 4);
    assert_eq!(audit.accounts.iter().map(|a| a.posts).sum::<u64>(), 19_996);
    assert_eq!(audit.replies.messages.len(), 9_000);
    assert_eq!(audit.boilerplate.groups.len(), 1);
    assert_eq!(audit.boilerplate.groups[0].messages, 9_000);
    assert_eq!(audit.replies.messages[8_999].id, "m8999");
    assert_eq!(go().to_json(), audit.to_json());
}
