//! The filters a directory sends to find a user before it creates one (RFC 7644, section
//! 3.4.2.2): `userName eq "…"` and `externalId eq "…"`, which Okta and Entra ID use. Anything
//! else is refused as `invalidFilter`, naming what is supported.

use rungs_store::DirectoryFilter;

use super::error::ScimError;

/// The supported filter in `text`, or why it is refused.
pub fn parse_filter(text: &str) -> Result<DirectoryFilter, ScimError> {
    let unsupported = || {
        ScimError::bad(
            "invalidFilter",
            format!(
                "the filter `{}` is not supported: use `userName eq \"…\"` or `externalId eq \"…\"`",
                rungs_core::text::excerpt(text)
            ),
        )
    };
    let text = text.trim();
    let (attribute, rest) = text.split_once(char::is_whitespace).ok_or_else(unsupported)?;
    let (operator, value) =
        rest.trim_start().split_once(char::is_whitespace).ok_or_else(unsupported)?;
    if !operator.eq_ignore_ascii_case("eq") {
        return Err(unsupported());
    }
    let value: String = serde_json::from_str(value.trim()).map_err(|_| unsupported())?;
    let attribute = attribute.rsplit(':').next().unwrap_or(attribute);
    if attribute.eq_ignore_ascii_case("userName") {
        Ok(DirectoryFilter::UserName(value))
    } else if attribute.eq_ignore_ascii_case("externalId") {
        Ok(DirectoryFilter::ExternalId(value))
    } else {
        Err(unsupported())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_name_and_external_id_filters_are_read_as_okta_and_entra_send_them() {
        assert_eq!(
            parse_filter(r#"userName eq "ada@example.com""#).unwrap(),
            DirectoryFilter::UserName("ada@example.com".into())
        );
        assert_eq!(
            parse_filter(r#"externalId EQ "00u1a2b3c""#).unwrap(),
            DirectoryFilter::ExternalId("00u1a2b3c".into())
        );
        assert_eq!(
            parse_filter(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a \"b\"""#)
                .unwrap(),
            DirectoryFilter::UserName("a \"b\"".into())
        );
    }

    #[test]
    fn other_filters_are_refused_naming_the_supported_ones() {
        for filter in
            [r#"displayName eq "Ada""#, r#"userName co "ada""#, "userName eq ada", "", "userName"]
        {
            let refused = parse_filter(filter).unwrap_err();
            assert_eq!(refused.scim_type, Some("invalidFilter"));
            assert!(
                refused.error.message.contains("use `userName eq"),
                "{}",
                refused.error.message
            );
        }
    }
}
