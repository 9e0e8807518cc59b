//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `wanted`, when one is close enough to be a likely typo.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        // Edit distance catches short ids (`m2` for `m1`); Jaro-Winkler catches long names with
        // a shared prefix (`directr` for `director`).
        let edit = strsim::normalized_damerau_levenshtein(&wanted_lower, &candidate_lower);
        let prefix = strsim::jaro_winkler(&wanted_lower, &candidate_lower);
        let similarity = edit.max(prefix);
        let close_enough = edit >= 0.5 || prefix >= 0.85;
        // Ties go to the first candidate, so suggestions are stable.
        if close_enough && best.is_none_or(|(best_similarity, _)| similarity > best_similarity) {
            best = Some((similarity, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// ` (did you mean `x`?)`, or nothing.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> String
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
