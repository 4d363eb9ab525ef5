//! The OpenAPI shapes of administrations and their answers, made from the
//! shipped instruments themselves: each item's scale, its codes, or text
//! and its limit. The request types live in `administrations`.

use tandem_core::answers::MAX_TEXT_CHARS;
use tandem_core::input::MAX_NAME_CHARS;
use tandem_core::instrument::{Instrument, ResponseKind};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ObjectBuilder, OneOfBuilder, Schema, Type,
};
use utoipa::{PartialSchema, ToSchema};

use super::administrations::{Checkin, Open, Page, Record};

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

/// "about": whom an administration is about.
fn about_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::Array(vec![
            Type::String,
            Type::Null,
        ]))
        .min_length(Some(1))
        .max_length(Some(MAX_NAME_CHARS))
        .description(Some(
            "Whom it is about: 1 to 80 characters that can be seen, with no direction controls. With neither `about` nor `relationship`: my partner.",
        ))
}

/// "relationship": the id of one of the person's relationships, instead of
/// "about".
fn relationship_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::Array(vec![
            Type::Integer,
            Type::Null,
        ]))
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Int64,
        )))
        .description(Some(
            "One of my relationships (GET /api/v1/relationships), instead of `about`; with neither, my partner.",
        ))
}

/// One shape per scored instrument, with that instrument's answers.
impl PartialSchema for Record {
    fn schema() -> RefOr<Schema> {
        let mut shapes = OneOfBuilder::new();
        for instrument in SCORED.iter().filter_map(|id| shipped(id)) {
            shapes = shapes.item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property(
                        "instrument",
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some([instrument.id.as_str()])),
                    )
                    .property("about", about_schema())
                    .property("relationship", relationship_schema())
                    .property("answers", answers(&instrument))
                    .required("instrument")
                    .required("answers")
                    .additional_properties(Some(AdditionalProperties::FreeForm(false))),
            );
        }
        shapes.into()
    }
}

impl ToSchema for Record {}

/// The instruments this API scores; safety answers go to `/safety`.
const SCORED: [&str; 2] = ["rdp", "checkin"];

/// An instrument that is scored: its id.
pub(super) struct ScoredInstrument;

impl PartialSchema for ScoredInstrument {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(SCORED))
            .description(Some("rdp or checkin; safety answers go to /safety."))
            .into()
    }
}

impl ToSchema for ScoredInstrument {}

impl PartialSchema for Checkin {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .required("answers")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        if let Some(checkin) = shipped("checkin") {
            object = object.property("answers", answers(&checkin));
        }
        object.into()
    }
}

impl ToSchema for Checkin {}

impl PartialSchema for Open {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("instrument", ScoredInstrument::schema())
            .property("about", about_schema())
            .property("relationship", relationship_schema())
            .required("instrument")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl ToSchema for Open {}

/// The answers of the administration's instrument (null clears one), and
/// where to resume.
impl PartialSchema for Page {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("answers", answers_of_any(&SCORED))
            .property(
                "position",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .description(Some("The index of the next item to ask.")),
            )
            .required("answers")
            .required("position")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl ToSchema for Page {}
