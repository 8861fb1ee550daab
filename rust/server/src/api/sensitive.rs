//! `/sensitiveword/*` endpoints: the words the server screens client text messages for (see
//! `crate::service::moderation`).

use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::SensitiveWord;
use crate::service::moderation;
use crate::state::Shared;
use axum::http::StatusCode;
use serde_json::{json, Map};
use std::sync::Arc;

/// Longest word or replacement, in characters.
const MAX_WORD_CHARS: usize = 32;
/// Most words of one batch delete.
const MAX_BATCH_DELETE: usize = 50;
/// Code of an add beyond `ServerConfig::sensitive_word_limit` (a count limit reached).
const WORD_LIMIT_CODE: u32 = 1016;

/// Checks a word or replacement: 1..=32 characters, no control characters.
fn check_word(name: &str, word: &str) -> Result<(), ApiError> {
    if word.is_empty() {
        return Err(ApiError::param(format!("{name} is required")));
    }
    if word.chars().count() > MAX_WORD_CHARS {
        return Err(ApiError {
            code: 1005,
            status: StatusCode::BAD_REQUEST,
            message: format!("{name} is longer than {MAX_WORD_CHARS} characters"),
        });
    }
    if word.chars().any(char::is_control) {
        return Err(ApiError::param(format!("{name} has control characters")));
    }
    Ok(())
}

/// `/sensitiveword/add.json`: `word` R (≤ 32 characters), `replaceWord` (≤ 32; absent or empty:
/// a message with the word is blocked; present: the word is replaced by it). Adding a word
/// again changes its replacement. Beyond the word limit (default 50): 1016.
pub(crate) async fn add(shared: Arc<Shared>, form: Params) -> ApiResult {
    let word = form.required("word")?;
    check_word("word", word)?;
    let replace_word = form.get("replaceWord").filter(|r| !r.is_empty());
    if let Some(r) = replace_word {
        check_word("replaceWord", r)?;
    }
    let word = SensitiveWord {
        word: word.to_owned(),
        replace_word: replace_word.map(str::to_owned),
    };
    let limit = shared.config.sensitive_word_limit;
    moderation::add_word(
        shared.store.as_ref(),
        &shared.moderation,
        word,
        limit,
        WORD_LIMIT_CODE,
    )
    .await?;
    Ok(Map::new())
}

/// The word of a single delete. RongCloud's Python SDK 3.2.0 sends a one-word removal as the
/// Python list `['word']`: that form is unwrapped so the SDK works.
fn single_word(raw: &str) -> &str {
    raw.strip_prefix("['")
        .and_then(|w| w.strip_suffix("']"))
        .unwrap_or(raw)
}

/// `/sensitiveword/delete.json`: `word` R. An unknown word changes nothing.
pub(crate) async fn delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let word = single_word(form.required("word")?);
    check_word("word", word)?;
    moderation::delete_words(
        shared.store.as_ref(),
        &shared.moderation,
        vec![word.to_owned()],
    )
    .await?;
    Ok(Map::new())
}

/// `/sensitiveword/batch/delete.json`: `words` R (repeatable, ≤ 50).
pub(crate) async fn batch_delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let words = form.list("words");
    if words.is_empty() {
        return Err(ApiError::param("words is required"));
    }
    if words.len() > MAX_BATCH_DELETE {
        return Err(ApiError::param(format!(
            "at most {MAX_BATCH_DELETE} words per call"
        )));
    }
    for w in &words {
        check_word("words", w)?;
    }
    moderation::delete_words(shared.store.as_ref(), &shared.moderation, words).await?;
    Ok(Map::new())
}

/// `/sensitiveword/list.json`: `type` (0 replaced words, 1 blocking words (default), 2 all)
/// => `{words: [{type: "0" | "1", word, replaceWord}]}` (`type` a string and `replaceWord`
/// empty for a blocking word, as RongCloud).
pub(crate) async fn list(shared: Arc<Shared>, form: Params) -> ApiResult {
    let wanted = form.int("type")?.unwrap_or(1);
    if !(0..=2).contains(&wanted) {
        return Err(ApiError::param("type must be 0, 1 or 2"));
    }
    let words = shared
        .store
        .sensitive_words()
        .await
        .map_err(|e| ApiError::internal(&format!("{e:#}")))?;
    let words: Vec<_> = words
        .into_iter()
        .filter_map(|w| {
            let kind = if w.replace_word.is_some() { 0 } else { 1 };
            (wanted == 2 || wanted == kind).then(|| {
                json!({
                    "type": kind.to_string(),
                    "word": w.word,
                    "replaceWord": w.replace_word.unwrap_or_default(),
                })
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("words".into(), json!(words));
    Ok(out)
}
