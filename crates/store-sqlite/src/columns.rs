//! How one answer lies in its row: a value, a code, or text sealed with the
//! owner's data key under the answer's place. Both the answer-by-answer
//! writes and the group commit lay answers out this way.

use tandem_core::answers::Answer;

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::text_context;

/// The columns of one answer (value, sealed text, code): a value as it is,
/// text sealed with the owner's key, a code by its name.
pub(crate) type AnswerColumns = (Option<i64>, Option<Vec<u8>>, Option<&'static str>);

/// The columns of one answer.
pub(crate) fn answer_columns(
    key: &Sealer,
    id: AdministrationId,
    item: &str,
    answer: &Answer,
) -> Result<AnswerColumns, StoreError> {
    Ok(match answer {
        Answer::Value(value) => (Some(*value), None, None),
        Answer::Code(code) => (None, None, Some(code.as_str())),
        Answer::Text(text) => (
            None,
            Some(key.seal_text(&text_context(id, item), text)?),
            None,
        ),
    })
}
