pub fn to_html(_f: &rungs_core::Framework) -> String {
    String::new()
}
