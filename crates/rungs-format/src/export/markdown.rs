pub fn to_markdown(_f: &rungs_core::Framework) -> String {
    String::new()
}
