//! The fields every message publish of the Server API shares (`objectName`, `content`,
//! `pushContent`, `expansion`…), read into a [`NewMessage`] template.

use super::params::Params;
use super::reply::ApiError;
use crate::model::{NewMessage, MAX_OBJECT_NAME_CHARS};
use serde_json::Value;
use std::collections::HashMap;

/// The message fields every publish endpoint shares (`objectName` R, `content` R,
/// `pushContent`, `pushData`, `pushExt` and `disablePush` (the message's push options, see
/// [`super::push_ext`]), `isPersisted` (default 1), `isCounted` (default 1),
/// `isIncludeSender` (default 0), `expansion` (default 0: the message can be expanded) and
/// `extraContent` (its initial expansion, a JSON object of strings; only with `expansion`)).
pub(super) fn publish_template(
    form: &Params,
    from: &str,
    conversation_type: u32,
) -> Result<NewMessage, ApiError> {
    let object_name = form.required("objectName")?;
    if object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
        return Err(ApiError::too_long("objectName", MAX_OBJECT_NAME_CHARS));
    }
    let (can_expand, expansion) = expansion_params(form)?;
    Ok(NewMessage {
        sender_id: from.to_owned(),
        conversation_type,
        object_name: object_name.to_owned(),
        content: form.required("content")?.to_owned(),
        persisted: form.bool("isPersisted", true)?,
        counted: form.bool("isCounted", true)?,
        push_content: form.get("pushContent").unwrap_or("").to_owned(),
        push_data: form.get("pushData").unwrap_or("").to_owned(),
        push_options: super::push_ext::push_options(form)?,
        include_sender: form.bool("isIncludeSender", false)?,
        can_expand,
        expansion,
        ..Default::default()
    })
}

/// `expansion` and `extraContent` of a publish (see [`publish_template`]); 34010 for an
/// initial expansion beyond the limits.
fn expansion_params(form: &Params) -> Result<(bool, HashMap<String, String>), ApiError> {
    let can_expand = form.bool("expansion", false)?;
    let Some(raw) = form.get("extraContent").filter(|r| !r.is_empty()) else {
        return Ok((can_expand, HashMap::new()));
    };
    if !can_expand {
        return Err(ApiError::param("extraContent needs expansion=true"));
    }
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::param("extraContent must be a JSON object"));
    };
    let expansion: HashMap<String, String> = map
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect();
    if let Err(e) = crate::expansion::check_initial(&expansion) {
        return Err(ApiError::business(
            rcim_proto::codes::EXPANSION_SIZE_LIMIT_EXCEED,
            e.0,
        ));
    }
    Ok((can_expand, expansion))
}
