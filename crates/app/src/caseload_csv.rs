//! A client's shared results of one instrument as CSV, for a counsellor:
//! one row per administration, oldest first, and a column per score and
//! per item the grant shows (an item or score it does not show is no
//! column at all; one left unanswered is an empty cell).

use tandem_store::shares::{SharedAdministration, shown_items};

use crate::content::Content;
use crate::error::ServiceError;

/// The CSV of `instrument`'s rows among `shared`.
pub fn csv_of(
    content: &Content,
    shared: &[SharedAdministration],
    instrument: &str,
) -> Result<String, ServiceError> {
    let rows: Vec<&SharedAdministration> = shared
        .iter()
        .filter(|a| a.instrument == instrument)
        .collect();
    let definition = content.instrument(instrument);
    let mut indices = Vec::new();
    let mut facets = Vec::new();
    let mut items = Vec::new();
    if let Some(definition) = definition {
        let any = |pick: fn(&SharedAdministration) -> bool| rows.iter().any(|a| pick(a));
        if any(|a| a.indices.is_some()) {
            indices = definition
                .indices
                .iter()
                .map(|i| i.id.to_string())
                .collect();
        }
        if any(|a| a.facets.is_some()) {
            facets = definition.facets.iter().map(|f| f.id.to_string()).collect();
        }
        if any(|a| a.items.is_some()) {
            let every: std::collections::BTreeMap<String, i64> = definition
                .items
                .iter()
                .map(|item| (item.id.to_string(), 0))
                .collect();
            let shown = shown_items(Some(definition), &every);
            items = definition
                .items
                .iter()
                .map(|item| item.id.to_string())
                .filter(|id| shown.contains_key(id))
                .collect();
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "completed_at".to_owned(),
        "version".to_owned(),
        "relationship".to_owned(),
    ];
    header.extend(indices.iter().cloned());
    header.extend(facets.iter().cloned());
    header.extend(items.iter().cloned());
    out.write_record(&header).map_err(ServiceError::internal)?;
    let number = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
    for row in rows {
        let mut record = vec![
            row.completed_at.clone(),
            row.version.clone(),
            row.relationship.0.to_string(),
        ];
        for id in &indices {
            record.push(number(
                row.indices.as_ref().and_then(|s| s.get(id)).copied(),
            ));
        }
        for id in &facets {
            record.push(number(row.facets.as_ref().and_then(|s| s.get(id)).copied()));
        }
        for id in &items {
            let value = row.items.as_ref().and_then(|s| s.get(id));
            record.push(value.map(|v| v.to_string()).unwrap_or_default());
        }
        out.write_record(&record).map_err(ServiceError::internal)?;
    }
    let bytes = out.into_inner().map_err(ServiceError::internal)?;
    String::from_utf8(bytes).map_err(ServiceError::internal)
}
