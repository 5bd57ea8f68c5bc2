//! Audits an archive with the embedded default policy, for timing and for
//! trying the library before the CLI has its command:
//! `cargo run --release -p xianshen-audit --example audit_archive -- POSTS MESSAGES OUT_DIR [AUDIT_DATE]`
//! writes `OUT_DIR/audit.json`, `OUT_DIR/audit.html` and the CSV tables, and
//! prints the time taken to stderr.

use xianshen_audit::{Audit, AuditInput, AuditOptions, InputSource};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [posts, messages, out, ..] = args.as_slice() else {
        return Err("usage: audit_archive POSTS MESSAGES OUT_DIR [AUDIT_DATE]".into());
    };
    let started = std::time::Instant::now();
    let screener = xianshen::Screener::new();
    let input = AuditInput {
        posts: vec![InputSource::open(posts)?],
        messages: vec![InputSource::open(messages)?],
    };
    let options = AuditOptions {
        audit_date: args.get(3).map(|d| d.parse()).transpose()?,
        ..AuditOptions::default()
    };
    let audit = Audit::run(input, &screener, &screener.policy().audit(), &options)?;
    let audited = started.elapsed();
    if std::env::var_os("AUDIT_ONLY").is_some() {
        eprintln!("audited in {:.2} s", audited.as_secs_f64());
        return Ok(());
    }
    std::fs::create_dir_all(out)?;
    let out = std::path::Path::new(out);
    let mut json = std::io::BufWriter::new(std::fs::File::create(out.join("audit.json"))?);
    audit.write_json(&mut json)?;
    std::io::Write::flush(&mut json)?;
    std::fs::write(out.join("audit.html"), audit.to_html())?;
    audit.write_csv_tables(out.join("csv"))?;
    let tables = started.elapsed();
    eprintln!("outputs written after {:.2} s", tables.as_secs_f64());
    eprintln!(
        "audited {} posts and {} messages in {:.2} s ({:.2} s with the outputs); {} errors",
        audit.inputs.posts.audited,
        audit.inputs.messages.audited,
        audited.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        audit.errors.len()
    );
    Ok(())
}
