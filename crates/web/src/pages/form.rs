//! The GOV.UK error pattern for every form: all problems at once in a
//! summary that links to each field, an inline message beside the field,
//! and the attributes that tie the two together for screen readers.
//!
//! Templates show the summary with `{% include "errors.html" %}` and each
//! field's part with the macros in `templates/form.html`.

use serde::Serialize;

/// Just the CSRF token, for forms with no other field (the middleware has
/// checked it by the time a handler runs).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenOnly {
    /// The session's token, echoed by the form.
    pub csrf: String,
}

/// One problem to show in a form's error summary, linked to its field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// The field's id (empty for the form as a whole).
    pub field: String,
    /// What to do, in plain words.
    pub message: String,
}

/// Every problem with one submitted form, in the order of its fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One problem, for forms that can only go wrong one way at a time
    /// (a password that does not match, say).
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records a problem with `field` (its element id; empty for the form).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Whether the form is fine.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in order, for the summary.
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    /// The first message for `field`, shown inline beside it.
    pub fn message(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    /// Whether `field` has a problem (for `aria-invalid` and the red edge).
    pub fn has(&self, field: &str) -> bool {
        self.message(field).is_some()
    }

    /// The ids the field's `aria-describedby` names: its hint (when it has
    /// one) and its inline error (when there is one).
    pub fn described_by(&self, field: &str, hint: &str) -> String {
        let mut ids = Vec::new();
        if !hint.is_empty() {
            ids.push(hint.to_owned());
        }
        if self.has(field) {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }
}

impl From<Vec<FieldError>> for FormErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        Self(errors)
    }
}

impl<'a> IntoIterator for &'a FormErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::FormErrors;

    #[test]
    fn each_field_is_described_by_its_hint_and_its_own_error() {
        let mut errors = FormErrors::new();
        errors.add("name", "Enter a user name");
        errors.add("password", "Enter a password");
        errors.add("password", "A second problem with the password");
        let cases = [
            (
                "name",
                "name-hint",
                "name-hint name-error",
                Some("Enter a user name"),
            ),
            ("password", "", "password-error", Some("Enter a password")),
            ("confirm", "confirm-hint", "confirm-hint", None),
            ("confirm", "", "", None),
        ];
        for (field, hint, described, message) in cases {
            assert_eq!(errors.described_by(field, hint), described, "{field}");
            assert_eq!(errors.message(field), message, "{field}");
            assert_eq!(errors.has(field), message.is_some(), "{field}");
        }
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "password", "password"]);
    }
}
