//! The OpenAPI shapes of answers, made from the shipped instruments
//! themselves: each item's scale, its codes, or text and its limit.

use tandem_core::answers::MAX_TEXT_CHARS;
use tandem_core::instrument::{Instrument, ResponseKind};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, AnyOfBuilder, ObjectBuilder, Schema, Type};

/// A shipped instrument; the catalog is checked when the app starts, so a
/// missing one leaves its shape out rather than failing here.
pub(super) fn shipped(id: &str) -> Option<Instrument> {
    tandem_core::instrument::builtin::builtin_by_id(id)
        .ok()
        .flatten()
}

/// Item id → answer for one instrument: a whole number on its scale, one
/// of its codes, or text, or null to clear; no other item.
pub(super) fn answers(instrument: &Instrument) -> ObjectBuilder {
    let scale = &instrument.scale;
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .description(Some(format!(
            "Answers to {} items, by item id.",
            instrument.id
        )));
    for item in &instrument.items {
        let null = ObjectBuilder::new().schema_type(Type::Null);
        let answer: Schema = match item.response {
            ResponseKind::Scale => {
                let mut choices = AnyOfBuilder::new()
                    .item(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .minimum(Some(scale.min))
                            .maximum(Some(scale.max)),
                    )
                    .item(null);
                if !scale.codes.is_empty() {
                    choices = choices.item(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(scale.codes.iter().map(|c| c.code.as_str()))),
                    );
                }
                choices.into()
            }
            ResponseKind::Text => AnyOfBuilder::new()
                .item(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .max_length(Some(MAX_TEXT_CHARS)),
                )
                .item(null)
                .into(),
        };
        object = object.property(item.id.as_str(), answer);
    }
    object
}

/// Answers to any of these instruments (a page of an administration of
/// one of them).
pub(super) fn answers_of_any(ids: &[&str]) -> RefOr<Schema> {
    let mut any = AnyOfBuilder::new();
    for instrument in ids.iter().filter_map(|id| shipped(id)) {
        any = any.item(answers(&instrument));
    }
    any.into()
}
