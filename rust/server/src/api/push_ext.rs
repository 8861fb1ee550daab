//! The push parameters of a publish: RongCloud's `pushExt` (JSON: `title`,
//! `forceShowPushContent`, `templateId`, `pushConfigs` per vendor) and `disablePush`, turned
//! into the message's push options in the client's shape (`RCIMIWMessagePushOptions`), so a
//! published message pushes exactly as if a client had sent it with those options.

use super::params::Params;
use super::reply::ApiError;
use serde_json::{Map, Value};

/// The `push_options` JSON of a publish ("" when it sets none); 1002 for a `pushExt` that is
/// not a JSON object.
pub(crate) fn push_options(form: &Params) -> Result<String, ApiError> {
    let mut out = Map::new();
    if form.bool("disablePush", false)? {
        out.insert("disableNotification".into(), Value::Bool(true));
    }
    if let Some(raw) = form.get("pushExt").filter(|r| !r.trim().is_empty()) {
        let Ok(Value::Object(ext)) = serde_json::from_str::<Value>(raw) else {
            return Err(ApiError::param("pushExt must be a JSON object"));
        };
        from_push_ext(&ext, &mut out)?;
    }
    if out.is_empty() {
        return Ok(String::new());
    }
    Ok(Value::Object(out).to_string())
}

/// A string field of `ext`; 1002 when it is there but not a string.
fn string(ext: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match ext.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::param(format!("pushExt.{key} must be a string"))),
    }
}

/// A 0/1 (or boolean) flag of `ext`.
fn flag(ext: &Map<String, Value>, key: &str) -> Result<bool, ApiError> {
    match ext.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) => Ok(n.as_i64() == Some(1)),
        Some(Value::String(s)) => Ok(s == "1" || s.eq_ignore_ascii_case("true")),
        Some(_) => Err(ApiError::param(format!("pushExt.{key} must be 0 or 1"))),
    }
}

fn from_push_ext(ext: &Map<String, Value>, out: &mut Map<String, Value>) -> Result<(), ApiError> {
    if let Some(t) = string(ext, "title")? {
        out.insert("pushTitle".into(), Value::String(t));
    }
    if flag(ext, "forceShowPushContent")? {
        out.insert("forceShowDetailContent".into(), Value::Bool(true));
    }
    if let Some(t) = string(ext, "templateId")? {
        out.insert("templateId".into(), Value::String(t));
    }
    let configs = match ext.get("pushConfigs") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::param("pushExt.pushConfigs must be an array")),
    };
    let mut ios = Map::new();
    let mut android = Map::new();
    for item in configs {
        let Some(item) = item.as_object() else {
            return Err(ApiError::param("pushExt.pushConfigs holds objects"));
        };
        for (vendor, fields) in item {
            let Some(fields) = fields.as_object() else {
                return Err(ApiError::param("pushExt.pushConfigs holds objects"));
            };
            // Vendor keys → the client's option names (other vendors: no vendor push here).
            let names: &[(&str, &str)] = match vendor.as_str() {
                "APNs" => &[
                    ("thread-id", "threadId"),
                    ("apns-collapse-id", "apnsCollapseId"),
                    ("category", "category"),
                    ("richMediaUri", "richMediaUri"),
                ],
                "FCM" => &[
                    ("channelId", "channelIdFCM"),
                    ("collapse_key", "collapseKeyFCM"),
                    ("imageUrl", "imageUrlFCM"),
                ],
                _ => &[],
            };
            let target = if vendor == "APNs" {
                &mut ios
            } else {
                &mut android
            };
            for (from, to) in names {
                if let Some(v) = string(fields, from)? {
                    target.insert((*to).into(), Value::String(v));
                }
            }
        }
    }
    if !ios.is_empty() {
        out.insert("iOSPushOptions".into(), Value::Object(ios));
    }
    if !android.is_empty() {
        out.insert("androidPushOptions".into(), Value::Object(android));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(form: &str) -> Result<Value, ApiError> {
        let s = push_options(&Params::from_form(form.as_bytes()))?;
        Ok(if s.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&s).unwrap()
        })
    }

    #[test]
    fn push_ext_and_disable_push() {
        assert_eq!(options("pushContent=x").unwrap(), Value::Null);
        assert_eq!(
            options("disablePush=true").unwrap(),
            serde_json::json!({"disableNotification": true})
        );
        let ext = serde_json::json!({
            "title": "T", "forceShowPushContent": 1, "templateId": "tpl",
            "pushConfigs": [
                {"HW": {"channelId": "NORMAL"}},
                {"APNs": {"thread-id": "th", "apns-collapse-id": "c"}},
                {"FCM": {"channelId": "ch", "collapse_key": "k", "imageUrl": "u"}}
            ]
        });
        let form = format!(
            "pushExt={}",
            percent_encoding::utf8_percent_encode(
                &ext.to_string(),
                percent_encoding::NON_ALPHANUMERIC
            )
        );
        assert_eq!(
            options(&form).unwrap(),
            serde_json::json!({
                "pushTitle": "T", "forceShowDetailContent": true, "templateId": "tpl",
                "iOSPushOptions": {"threadId": "th", "apnsCollapseId": "c"},
                "androidPushOptions": {"channelIdFCM": "ch", "collapseKeyFCM": "k", "imageUrlFCM": "u"}
            })
        );
        assert_eq!(options("pushExt=%5B1%5D").unwrap_err().code, 1002);
        assert_eq!(options("pushExt=nope").unwrap_err().code, 1002);
        assert_eq!(
            options("pushExt=%7B%22title%22%3A5%7D").unwrap_err().code,
            1002
        );
    }
}
