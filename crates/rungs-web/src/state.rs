//! What every handler can reach: the application and how the instance presents itself.

use rungs_app::App;

#[derive(Debug, Clone)]
pub struct WebState {
    pub app: App,
    /// Shown in every page header: this instance holds demo data.
    pub demo: bool,
}

impl WebState {
    pub fn new(app: App, demo: bool) -> WebState {
        WebState { app, demo }
    }
}
