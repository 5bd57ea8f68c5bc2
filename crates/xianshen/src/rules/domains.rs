//! The embedded list of official and central-media domains
//! (`data/official-domains.toml`) that links and e-mail addresses may name
//! without review.

use serde::Deserialize;
use std::sync::LazyLock;

const OFFICIAL_DOMAINS_TOML: &str = include_str!("../../data/official-domains.toml");

/// One official domain, with who runs it and why it is allowed.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OfficialDomain {
    pub name: String,
    #[allow(dead_code)] // documentation in the data file
    pub owner: String,
    #[allow(dead_code)]
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainFile {
    domain: Vec<OfficialDomain>,
}

static OFFICIAL: LazyLock<Vec<OfficialDomain>> = LazyLock::new(|| {
    toml::from_str::<DomainFile>(OFFICIAL_DOMAINS_TOML)
        .expect("data/official-domains.toml is valid (checked by a unit test)")
        .domain
});

/// The official domains, lowercase, in file order.
pub(crate) fn official() -> impl Iterator<Item = &'static str> {
    OFFICIAL.iter().map(|d| d.name.as_str())
}

/// A domain as the policy lists it, in the form hosts are compared with:
/// trimmed, lowercase, no leading dot.
pub(crate) fn canonical(domain: &str) -> String {
    domain.trim().trim_start_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_entry_is_a_lowercase_domain_with_a_reason() {
        let list: Vec<_> = super::OFFICIAL.iter().collect();
        assert!(list.len() >= 20);
        for d in list {
            assert_eq!(d.name, super::canonical(&d.name), "{}", d.name);
            assert!(d.name.contains('.'), "{}", d.name);
            assert!(!d.owner.is_empty() && d.reason.len() > 20, "{}", d.name);
        }
    }
}
