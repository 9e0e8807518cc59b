//! A framework file's name and text, and the mapping from byte offsets to lines and columns.

/// The text of one file, with what is needed to turn byte offsets into `LINE:COL`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(offset, _)| offset + 1))
            .collect();
        SourceFile { name: name.into(), text, line_starts }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index =
            self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self.text.get(line_start..offset).map_or(0, |prefix| prefix.chars().count());
        (line_index + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFile;

    #[test]
    fn maps_offsets_to_lines_and_columns() {
        let file = SourceFile::new("f.toml", "a = 1\nbé = 2\n");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(4), (1, 5));
        assert_eq!(file.line_column(6), (2, 1));
        // `é` is two bytes but one column.
        assert_eq!(file.line_column(9), (2, 3));
        assert_eq!(file.line_column(1_000), (3, 1));
    }
}
