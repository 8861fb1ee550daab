//! `/push/template/*` endpoints (our own: RongCloud manages push templates in its console,
//! R262–R265): create or replace, delete and list the templates a message's
//! `pushOptions.templateId` picks. JSON bodies (a form body works too, `templates` then
//! being JSON text). Malformed input answers 1002; a new template beyond
//! [`crate::push::records::MAX_TEMPLATES`] answers 20605 (operation blocked, as a full blacklist), with HTTP 200.

use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::push::records::{is_id_text, PushTemplate, TemplateText, MAX_LANGUAGE_LEN};
use crate::service::ServiceError;
use crate::state::Shared;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::sync::Arc;

/// Longest template id, in characters.
const MAX_ID_CHARS: usize = 20;
/// Most languages of one template.
const MAX_LANGUAGES: usize = 20;
/// Longest title, in characters.
const MAX_TITLE_CHARS: usize = 50;
/// Longest content, in characters.
const MAX_CONTENT_CHARS: usize = 200;

/// Whether `s` is 1..=`max` characters of letters, digits, '-' and '_'.
fn is_token(s: &str, max: usize) -> bool {
    !s.is_empty() && is_id_text(s, max)
}

/// `templateId` R: 1..=20 characters of `[A-Za-z0-9_-]` (1002 otherwise).
fn template_id(form: &Params) -> Result<String, ApiError> {
    let id = form.required("templateId")?;
    if !is_token(id, MAX_ID_CHARS) {
        return Err(ApiError::param(format!(
            "templateId must be 1 to {MAX_ID_CHARS} characters of A-Z a-z 0-9 - _"
        )));
    }
    Ok(id.to_owned())
}

/// A string field of a template text object (absent = empty; not a string => 1002).
fn text_field<'a>(o: &'a Map<String, Value>, key: &str) -> Result<&'a str, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::param(format!("templates.{key} must be a string"))),
    }
}

/// One language of a template: `language` R (1..=16 characters of `[A-Za-z0-9_-]`),
/// `title` (≤ 50 characters), `content` R (≤ 200 characters, may hold `{name}`).
fn template_text(v: &Value) -> Result<TemplateText, ApiError> {
    let Value::Object(o) = v else {
        return Err(ApiError::param("templates must hold objects"));
    };
    let language = text_field(o, "language")?;
    if !is_token(language, MAX_LANGUAGE_LEN) {
        return Err(ApiError::param(format!(
            "templates.language must be 1 to {MAX_LANGUAGE_LEN} characters of A-Z a-z 0-9 - _"
        )));
    }
    let title = text_field(o, "title")?;
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::param(format!(
            "templates.title is longer than {MAX_TITLE_CHARS} characters"
        )));
    }
    let content = text_field(o, "content")?;
    if content.is_empty() {
        return Err(ApiError::param("templates.content is required"));
    }
    if content.chars().count() > MAX_CONTENT_CHARS {
        return Err(ApiError::param(format!(
            "templates.content is longer than {MAX_CONTENT_CHARS} characters"
        )));
    }
    Ok(TemplateText {
        language: language.to_owned(),
        title: title.to_owned(),
        content: content.to_owned(),
    })
}

/// `templates` R: 1..=20 texts, each language once.
fn template_texts(form: &Params) -> Result<Vec<TemplateText>, ApiError> {
    let mut items = Vec::new();
    for raw in form.values("templates") {
        // A JSON body's array arrives as one value per element (objects as JSON text); a
        // form body may carry the whole array as JSON text.
        match serde_json::from_str::<Value>(raw) {
            Ok(Value::Array(a)) => items.extend(a),
            Ok(v @ Value::Object(_)) => items.push(v),
            _ => return Err(ApiError::param("templates must be an array of objects")),
        }
    }
    if items.is_empty() {
        return Err(ApiError::param("templates is required"));
    }
    if items.len() > MAX_LANGUAGES {
        return Err(ApiError::param(format!(
            "at most {MAX_LANGUAGES} languages per template"
        )));
    }
    let texts = items
        .iter()
        .map(template_text)
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = HashSet::new();
    if let Some(dup) = texts.iter().find(|t| !seen.insert(t.language.as_str())) {
        return Err(ApiError::param(format!(
            "language {} is given twice",
            dup.language
        )));
    }
    Ok(texts)
}

/// `/push/template/set.json`: `templateId` R, `templates` R (`[{language, title, content}]`,
/// see [`template_text`]) => `{}`. Replaces a template of that id with all its languages;
/// a new one beyond 100 templates: 20605.
pub(crate) async fn set(shared: Arc<Shared>, form: Params) -> ApiResult {
    let template = PushTemplate {
        id: template_id(&form)?,
        texts: template_texts(&form)?,
    };
    shared
        .store
        .put_push_template(template)
        .await
        .map_err(ServiceError::from)?;
    Ok(Map::new())
}

/// `/push/template/delete.json`: `templateId` R => `{}` (an unknown id changes nothing).
pub(crate) async fn delete(shared: Arc<Shared>, form: Params) -> ApiResult {
    let id = template_id(&form)?;
    shared
        .store
        .delete_push_template(id)
        .await
        .map_err(ServiceError::from)?;
    Ok(Map::new())
}

/// `/push/template/query.json` => `{templates: [{templateId, templates: [{language, title,
/// content}]}]}`, every template ordered by id, languages in the order they were set.
pub(crate) async fn query(shared: Arc<Shared>, _form: Params) -> ApiResult {
    let templates = shared
        .store
        .push_templates()
        .await
        .map_err(ServiceError::from)?;
    let templates: Vec<Value> = templates
        .into_iter()
        .map(|t| {
            let texts: Vec<Value> = t
                .texts
                .into_iter()
                .map(|x| json!({"language": x.language, "title": x.title, "content": x.content}))
                .collect();
            json!({"templateId": t.id, "templates": texts})
        })
        .collect();
    let mut out = Map::new();
    out.insert("templates".into(), json!(templates));
    Ok(out)
}
