//! The page that asks before an action that cannot be undone: it says what will happen and
//! posts the same form again with `confirmed=yes`.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::state::WebState;

/// Whether a form was sent from the confirmation page, whose `confirmed` field says so.
pub fn is_confirmed(confirmed: Option<&str>) -> bool {
    confirmed.is_some_and(|value| value.trim() == "yes")
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub title: String,
    /// What will happen, a sentence each.
    pub consequences: Vec<String>,
    /// Where the form posts again.
    pub action: String,
    /// The form's fields, sent again as they were.
    pub fields: Vec<(String, String)>,
    pub confirm_label: String,
    pub cancel_href: String,
    /// Where Cancel posts the same form, when cancelling has something to undo (an upload
    /// kept for the confirmation); otherwise Cancel is a link to `cancel_href`.
    pub cancel_action: Option<String>,
    /// The form goes as `multipart/form-data`, as the upload it repeats did.
    pub multipart: bool,
    /// A box that must be ticked to go ahead: its name, value and label.
    pub checkbox: Option<(String, String, String)>,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

impl ConfirmPage {
    pub fn new(
        state: &WebState,
        title: impl Into<String>,
        consequences: Vec<String>,
        action: impl Into<String>,
        confirm_label: impl Into<String>,
        cancel_href: impl Into<String>,
    ) -> ConfirmPage {
        ConfirmPage {
            layout: Layout::of(state),
            title: title.into(),
            consequences,
            action: action.into(),
            fields: Vec::new(),
            confirm_label: confirm_label.into(),
            cancel_href: cancel_href.into(),
            cancel_action: None,
            multipart: false,
            checkbox: None,
            error: None,
        }
    }

    /// Asks for a box to be ticked, sent as `name=value`, before the form goes.
    pub fn checkbox(
        mut self,
        name: &str,
        value: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfirmPage {
        self.checkbox = Some((name.to_owned(), value.into(), label.into()));
        self
    }

    /// Makes Cancel post the form to `action`.
    pub fn cancel_posts_to(mut self, action: impl Into<String>) -> ConfirmPage {
        self.cancel_action = Some(action.into());
        self
    }

    /// Says why the last attempt was refused.
    pub fn error(mut self, message: impl Into<String>) -> ConfirmPage {
        self.error = Some(message.into());
        self
    }

    /// Sends the form as `multipart/form-data`, for a handler that reads an upload.
    pub fn multipart(mut self) -> ConfirmPage {
        self.multipart = true;
        self
    }

    /// Sends `name` with `value` again.
    pub fn field(mut self, name: &str, value: impl Into<String>) -> ConfirmPage {
        self.fields.push((name.to_owned(), value.into()));
        self
    }
}
