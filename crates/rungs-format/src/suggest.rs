//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `wanted`, when one is close enough to be a likely typo.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (strsim::jaro_winkler(&wanted_lower, &candidate.to_lowercase()), candidate)
        })
        .filter(|(similarity, _)| *similarity >= 0.7)
        .max_by(|(left, _), (right, _)| left.total_cmp(right))
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean `x`?)`, or nothing.
pub(crate) fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(wanted, candidates).map(|name| format!(" (did you mean `{name}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_names_only() {
        let levels = ["em", "sem", "director", "vp", "cto"];
        assert_eq!(closest("directr", levels), Some("director"));
        assert_eq!(closest("semm", levels), Some("sem"));
        assert_eq!(closest("quartermaster", levels), None);
    }
}
