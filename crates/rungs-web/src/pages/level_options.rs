//! The options of a person page's level pickers, written once per framework and selected
//! level: every page lists every level twice, and the options differ only in which is selected.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rungs_core::Framework;

use crate::escape::push_escaped;

/// The options written for the framework asked for last, by selected level id.
#[derive(Debug)]
struct LevelOptionsCache {
    /// Held, so that its address, which tells frameworks apart here, is not reused by another.
    framework: Arc<Framework>,
    by_selected: HashMap<String, Arc<str>>,
}

static LEVEL_OPTIONS_CACHE: Mutex<Option<LevelOptionsCache>> = Mutex::new(None);

/// Every level of `framework` as an `<option>`, named as `Level::label` names it
/// (`Title (id)`), with the level whose id is `selected` (if any) selected.
pub fn level_options(framework: &Arc<Framework>, selected: &str) -> Arc<str> {
    let mut last = LEVEL_OPTIONS_CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if last.as_ref().is_some_and(|cache| !Arc::ptr_eq(&cache.framework, framework)) {
        *last = None;
    }
    let cache = last.get_or_insert_with(|| LevelOptionsCache {
        framework: Arc::clone(framework),
        by_selected: HashMap::new(),
    });
    if let Some(options) = cache.by_selected.get(selected) {
        return Arc::clone(options);
    }
    let options: Arc<str> = write_options(framework, selected).into();
    // One entry per level and one with none selected, whatever is asked for.
    if selected.is_empty() || framework.level(selected).is_some() {
        cache.by_selected.insert(selected.to_owned(), Arc::clone(&options));
    }
    options
}

fn write_options(framework: &Framework, selected: &str) -> String {
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
        let builtin = Arc::new(rungs_format::builtin().clone());
        let options = level_options(&builtin, "vp");
        assert_eq!(options.matches("<option ").count(), builtin.levels().len());
        assert!(options.contains(r#"<option value="vp" selected>VP of Engineering (vp)</option>"#));
        assert_eq!(options.matches(" selected").count(), 1);
        assert!(!level_options(&builtin, "").contains(" selected"));
        assert!(Arc::ptr_eq(&options, &level_options(&builtin, "vp")), "written once");

        let source = rungs_format::BUILTIN_SOURCE
            .replace(r#"title = "VP of Engineering""#, r#"title = "VP <& 'Eng'>""#);
        let renamed = rungs_format::load(&rungs_format::SourceFile::new("renamed.toml", source))
            .map(|loaded| Arc::new(loaded.framework))
            .expect("the renamed framework loads");
        let options = level_options(&renamed, "vp");
        assert!(options.contains(">VP &#60;&#38; &#39;Eng&#39;&#62; (vp)<"), "{options}");
        assert!(level_options(&builtin, "vp").contains(">VP of Engineering (vp)<"), "its own");
    }
}
