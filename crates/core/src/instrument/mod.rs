//! Instruments as data: the validated model of a questionnaire definition.
//!
//! An [`Instrument`] can only be built by the loader in [`load`], so every
//! instance in the program has passed validation: ids are unique, every item
//! names a facet that exists, bands cover the scale, and so on.

pub mod builtin;
pub mod load;
pub mod published;

use serde::Serialize;

use crate::ids::{BandId, FacetId, GuidanceId, IndexId, InstrumentId, ItemId};

pub use load::{LoadError, Problem, load_instrument};

/// What an instrument is for; decides how its answers are stored and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// A scored profile such as the RDP.
    Profile,
    /// The weekly pulse.
    Checkin,
    /// The safety screen: answers live in their own table and never reach a shared view.
    Safety,
}

/// Whom the item texts speak as: the person ("I … my partner") or to the
/// person ("have you … your partner"). Decides how `{other}` is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Voice {
    /// First person: `{other}` is the person's own words, such as "my partner".
    #[default]
    First,
    /// Second person: `{other}` becomes "your partner", "your mother" or a name.
    Second,
}

/// An answer that is not a point on the scale and counts as missing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerCode {
    /// The item cannot apply to this relationship (such as shared money with a friend).
    NotApplicable,
    /// The person chose not to answer.
    PreferNotToSay,
}

impl AnswerCode {
    /// Every code.
    pub const ALL: [AnswerCode; 2] = [AnswerCode::NotApplicable, AnswerCode::PreferNotToSay];

    /// The code as it is written in files, the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotApplicable => "not_applicable",
            Self::PreferNotToSay => "prefer_not_to_say",
        }
    }

    /// The code spelled `text`, if there is one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == text)
    }
}

/// What a marked item can signal, whatever facet it counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Signal {
    /// Agreeing can point to coercive control (RDP items).
    Coercion,
    /// Agreeing says the person felt unsafe (the check-in's safety item).
    Safety,
}

/// Which answers make a marked item signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SignalWhen {
    /// "Agree" or more.
    #[default]
    Agree,
    /// "Disagree" or less, for items worded the healthy way round.
    Disagree,
}

/// How serious a "Yes" to a safety item is (docs/DOMAIN.md, "Safety").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SafetyLevel {
    /// Fear, control, monitoring, stalking, put-downs, online abuse.
    Concern,
    /// Physical harm, choking, sexual coercion, threats to kill or a weapon, unsafe now.
    Urgent,
    /// Thoughts of self-harm: urgent, and a crisis line is shown.
    SelfHarm,
}

/// A validated instrument definition.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instrument {
    /// Stable id, such as `rdp`.
    pub id: InstrumentId,
    /// Version of this definition; stored with every administration.
    pub version: String,
    /// Display name.
    pub name: String,
    /// What the instrument is for.
    pub kind: Kind,
    /// A few words shown before the first item.
    pub intro: String,
    /// Whom the item texts speak as.
    pub voice: Voice,
    /// The response scale shared by every scale item.
    pub scale: Scale,
    /// How facet scores are formed.
    pub scoring: ScoringRule,
    /// Content-based bands covering the scale, lowest first.
    pub bands: Vec<Band>,
    /// The facets (subscales).
    pub facets: Vec<Facet>,
    /// Composite indices built from facets.
    pub indices: Vec<Index>,
    /// Items in the order they are asked.
    pub items: Vec<Item>,
}

impl Instrument {
    /// The item with this id, if the instrument has it.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id.as_str() == id)
    }

    /// The facet with this id, if the instrument has it.
    pub fn facet(&self, id: &str) -> Option<&Facet> {
        self.facets.iter().find(|facet| facet.id.as_str() == id)
    }

    /// The index with this id, if the instrument has it.
    pub fn index(&self, id: &str) -> Option<&Index> {
        self.indices.iter().find(|index| index.id.as_str() == id)
    }

    /// Items that belong to a facet, in asking order.
    pub fn items_of<'a>(&'a self, facet: &'a FacetId) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |item| item.facet.as_ref() == Some(facet))
    }

    /// A copy whose facets and indices without declared reliability take the
    /// given estimates (from a deployment's own administrations). Declared
    /// values always win: an estimate never overrides the definition file.
    pub fn with_estimates(
        &self,
        facets: &std::collections::BTreeMap<FacetId, Precision>,
        indices: &std::collections::BTreeMap<IndexId, Precision>,
    ) -> Instrument {
        let mut copy = self.clone();
        for facet in &mut copy.facets {
            if facet.precision.is_none() {
                facet.precision = facets.get(&facet.id).copied();
            }
        }
        for index in &mut copy.indices {
            if index.precision.is_none() {
                index.precision = indices.get(&index.id).copied();
            }
        }
        copy
    }

    /// The band a score falls in. A score exactly on a cut-off goes to the band
    /// nearer the middle of the scale, so nobody is pushed to an extreme by a tie.
    pub fn band_of(&self, score: f64) -> Option<&Band> {
        let middle = (self.scale.min + self.scale.max) as f64 / 2.0;
        let distance = |band: &Band| ((band.from + band.to) / 2.0 - middle).abs();
        self.bands
            .iter()
            .filter(|band| band.from <= score && score <= band.to)
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
    }
}

/// A response scale of consecutive integer points, each with a label, and
/// the codes (such as "Prefer not to say") an item may take instead.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Lowest value.
    pub min: i64,
    /// Highest value.
    pub max: i64,
    /// One label per value, lowest first.
    pub points: Vec<ScalePoint>,
    /// Answers without a value, offered after the points.
    pub codes: Vec<CodePoint>,
}

/// Written as `{min, max, points}` with the code points last in `points`,
/// so a reader of an instrument sees every choice a person has, in order.
impl Serialize for Scale {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Point<'a> {
            Value(&'a ScalePoint),
            Code(&'a CodePoint),
        }
        let points: Vec<Point<'_>> = self
            .points
            .iter()
            .map(Point::Value)
            .chain(self.codes.iter().map(Point::Code))
            .collect();
        let mut out = serializer.serialize_struct("Scale", 3)?;
        out.serialize_field("min", &self.min)?;
        out.serialize_field("max", &self.max)?;
        out.serialize_field("points", &points)?;
        out.end()
    }
}

/// As [`Scale`]'s `Serialize` writes it: the points, then the codes.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Scale {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, Type};
        let point = AnyOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(ScalePoint::name()))
            .item(utoipa::openapi::Ref::from_schema_name(CodePoint::name()));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("min", ObjectBuilder::new().schema_type(Type::Integer))
            .property("max", ObjectBuilder::new().schema_type(Type::Integer))
            .property("points", ArrayBuilder::new().items(point))
            .required("min")
            .required("max")
            .required("points")
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Scale {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((ScalePoint::name().into(), ScalePoint::schema()));
        schemas.push((CodePoint::name().into(), CodePoint::schema()));
        ScalePoint::schemas(schemas);
        CodePoint::schemas(schemas);
    }
}

/// A choice without a value, such as "Does not apply to me".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodePoint {
    /// The code stored and sent.
    pub code: AnswerCode,
    /// What the person sees.
    pub label: String,
}

impl Scale {
    /// Whether this scale offers a code.
    pub fn allows(&self, code: AnswerCode) -> bool {
        self.codes.iter().any(|point| point.code == code)
    }

    /// The label of a code, if the scale offers it.
    pub fn code_label(&self, code: AnswerCode) -> Option<&str> {
        self.codes
            .iter()
            .find(|point| point.code == code)
            .map(|point| point.label.as_str())
    }

    /// Whether a value is one of the scale's points.
    pub fn contains(&self, value: i64) -> bool {
        (self.min..=self.max).contains(&value)
    }

    /// The mirror of a value on this scale, used for reverse-keyed items.
    pub fn mirror(&self, value: i64) -> i64 {
        self.min + self.max - value
    }

    /// The label of a value, if it is on the scale.
    pub fn label(&self, value: i64) -> Option<&str> {
        self.points
            .iter()
            .find(|point| point.value == value)
            .map(|point| point.label.as_str())
    }
}

/// One point of a scale.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScalePoint {
    /// The stored value.
    pub value: i64,
    /// What the person sees.
    pub label: String,
}

/// How facet scores are formed from item answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ScoringRule {
    /// Mean of the keyed answers; a facet with more than `max_missing` missing
    /// items is "not scored" rather than guessed.
    Mean {
        /// Missing items a facet may have and still be scored.
        max_missing: usize,
    },
    /// Screening: any answer at or above `positive_at` is positive.
    Flag {
        /// Lowest value that counts as a positive answer.
        positive_at: i64,
    },
}

/// A content-based band on the scale: `from..=to`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    /// Stable id, such as `elevated`.
    pub id: BandId,
    /// What the person reads.
    pub label: String,
    /// Lower edge.
    pub from: f64,
    /// Upper edge.
    pub to: f64,
}

/// Population norms declared for a facet or index.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Norms {
    /// Mean score in the norm population.
    pub mean: f64,
    /// Standard deviation in the norm population.
    pub sd: f64,
    /// How many people the norms come from.
    pub n: u64,
    /// Who they were, in a few words.
    pub population: String,
}

/// Which way a score is better: lower on the facets and indices that show a
/// risk (over-dependence, caretaking, detachment), higher on the healthy ones
/// (interdependence, shared power, the weekly pulse). Change and
/// clinically significant change are judged with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Better {
    /// A lower score is better (the default, as on most clinical scales).
    #[default]
    Lower,
    /// A higher score is better.
    Higher,
}

/// What is known about how precisely a facet or index is measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Precision {
    /// Reliability coefficient (such as Cronbach's alpha), in (0, 1).
    pub reliability: f64,
    /// Standard deviation of the score in the population the reliability came from.
    pub sd: f64,
}

impl Precision {
    /// Standard error of measurement, `SD · √(1 − r)`.
    pub fn sem(&self) -> f64 {
        self.sd * (1.0 - self.reliability).sqrt()
    }
}

/// A facet (subscale).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facet {
    /// Stable id, such as `ER`.
    pub id: FacetId,
    /// Display name.
    pub name: String,
    /// The cluster the facet belongs to, such as `over_dependence`.
    pub cluster: String,
    /// What a high score means, in plain words.
    pub high_means: String,
    /// Declared reliability and SD, when known.
    pub precision: Option<Precision>,
    /// Declared norms, when known: the general (functional) population.
    pub norms: Option<Norms>,
    /// Declared norms of people seeking help with what the facet measures
    /// (the dysfunctional population of Jacobson & Truax), when known.
    pub clinical_norms: Option<Norms>,
    /// Which way is better; declared, else that of its index.
    pub better: Better,
    /// Guidance strategies per band id.
    pub guidance: Vec<(BandId, Vec<GuidanceId>)>,
}

/// A composite index: the mean of facet means.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Index {
    /// Stable id, such as `over_dependence`.
    pub id: IndexId,
    /// Display name.
    pub name: String,
    /// The facets averaged.
    pub facets: Vec<FacetId>,
    /// Declared reliability and SD, when known.
    pub precision: Option<Precision>,
    /// Declared norms, when known: the general (functional) population.
    pub norms: Option<Norms>,
    /// Declared norms of people seeking help, as [`Facet::clinical_norms`].
    pub clinical_norms: Option<Norms>,
    /// Which way is better (declared; lower when not).
    pub better: Better,
}

/// What kind of answer an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ResponseKind {
    /// A point on the instrument's scale.
    Scale,
    /// A short line of free text (never scored).
    Text,
}

/// One question.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    /// Stable id, such as `ER1`.
    pub id: ItemId,
    /// The wording; `{other}` stands for the other person.
    pub text: String,
    /// The facet a scale item counts towards (none for text and screening items).
    pub facet: Option<FacetId>,
    /// Whether agreeing means a lower facet score.
    pub reverse: bool,
    /// Scale point or free text.
    pub response: ResponseKind,
    /// Whether the item may be left empty without counting as missing.
    pub optional: bool,
    /// What the item can signal, when it is marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals: Option<Signal>,
    /// Whether agreeing (the default) or disagreeing makes it signal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals_when: Option<SignalWhen>,
    /// How serious a "Yes" is (safety items only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<SafetyLevel>,
    /// 1-based line of the item in its definition file.
    #[serde(skip)]
    pub line: usize,
}

impl Item {
    /// The wording with the other person filled in, such as "my partner" or
    /// "Sam". Only for first-person texts; see [`Instrument::text_of`].
    pub fn text_about(&self, other: &str) -> String {
        self.text.replace("{other}", other)
    }
}

/// The other person as a text speaks of them: the person's own words for
/// first-person items ("my mother"), turned to "you" for second-person ones
/// ("your mother"). A name stays a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherPerson {
    first: String,
    second: String,
}

impl OtherPerson {
    /// From the words a person chose, such as "my partner" or "Sam".
    pub fn new(about: &str) -> Self {
        let about = about.trim();
        let second = ["my ", "My ", "MY "]
            .iter()
            .find_map(|prefix| about.strip_prefix(prefix))
            .map_or_else(|| about.to_owned(), |rest| format!("your {rest}"));
        Self {
            first: about.to_owned(),
            second,
        }
    }

    /// As the person says it: "my partner".
    pub fn first(&self) -> &str {
        &self.first
    }

    /// As said to the person: "your partner".
    pub fn second(&self) -> &str {
        &self.second
    }

    /// The form an instrument's voice needs.
    pub fn in_voice(&self, voice: Voice) -> &str {
        match voice {
            Voice::First => &self.first,
            Voice::Second => &self.second,
        }
    }
}

impl Instrument {
    /// An item's wording with the other person filled in, in the
    /// instrument's voice: "my partner" in "I …" items, "your partner" in
    /// "have you …" items.
    pub fn text_of(&self, item: &Item, other: &OtherPerson) -> String {
        item.text.replace("{other}", other.in_voice(self.voice))
    }

    /// The intro with the other person filled in, in the instrument's voice.
    pub fn intro_about(&self, other: &OtherPerson) -> String {
        self.intro.replace("{other}", other.in_voice(self.voice))
    }

    /// Items marked as signalling `signal`.
    pub fn signalling(&self, signal: Signal) -> impl Iterator<Item = &Item> + '_ {
        self.items
            .iter()
            .filter(move |item| item.signals == Some(signal))
    }

    /// Whether a value on this scale agrees with an item ("Agree" or more).
    pub fn agrees(&self, value: i64) -> bool {
        value >= self.scale.max - 1 && value > self.scale.min
    }

    /// Whether `value` on a marked item makes it signal: agreeing, or
    /// disagreeing for an item marked `signals_when = "disagree"`.
    pub fn signals_at(&self, item: &Item, value: i64) -> bool {
        match item.signals_when.unwrap_or_default() {
            SignalWhen::Agree => self.agrees(value),
            SignalWhen::Disagree => value <= self.scale.min + 1 && value < self.scale.max,
        }
    }

    /// Whether `value` is the most worrying answer to a marked item.
    pub fn signals_most_at(&self, item: &Item, value: i64) -> bool {
        match item.signals_when.unwrap_or_default() {
            SignalWhen::Agree => value == self.scale.max,
            SignalWhen::Disagree => value == self.scale.min,
        }
    }
}
