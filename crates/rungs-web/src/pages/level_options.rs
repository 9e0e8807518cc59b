//! The options of a person page's level picker: every level of the framework, one selected.

use rungs_core::Framework;

use crate::escape::push_escaped;

/// Every level of `framework` as an `<option>`, named as `Level::label` names it
/// (`Title (id)`), with the level whose id is `selected` (if any) selected.
pub fn level_options(framework: &Framework, selected: &str) -> String {
    let mut options = String::with_capacity(80 * framework.levels().len());
    for level in framework.levels() {
        // Ids are written unescaped: their grammar has no character HTML escapes.
        options.push_str(r#"<option value=""#);
        options.push_str(level.id.as_str());
        options.push('"');
        if level.id.as_str() == selected {
            options.push_str(" selected");
        }
        options.push('>');
        push_escaped(&mut options, &level.title);
        options.push_str(" (");
        options.push_str(level.id.as_str());
        options.push_str(")</option>");
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_level_with_the_selected_one_marked_and_titles_escaped() {
        let builtin = rungs_format::builtin();
        let options = level_options(builtin, "vp");
        assert_eq!(options.matches("<option ").count(), builtin.levels().len());
        assert!(options.contains(r#"<option value="vp" selected>VP of Engineering (vp)</option>"#));
        assert_eq!(options.matches(" selected").count(), 1);
        assert!(!level_options(builtin, "").contains(" selected"));

        let source = rungs_format::BUILTIN_SOURCE
            .replace(r#"title = "VP of Engineering""#, r#"title = "VP <& 'Eng'>""#);
        let renamed = rungs_format::load(&rungs_format::SourceFile::new("renamed.toml", source))
            .map(|loaded| loaded.framework)
            .expect("the renamed framework loads");
        let options = level_options(&renamed, "vp");
        assert!(options.contains(">VP &#60;&#38; &#39;Eng&#39;&#62; (vp)<"), "{options}");
        assert!(level_options(builtin, "vp").contains(">VP of Engineering (vp)<"), "its own");
    }
}
