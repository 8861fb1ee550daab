//! The built-in push strings (R259–R260): per message type a placeholder such as "[Image]",
//! and the generic text shown when the receiver hides push details, in the three built-in
//! languages (zh_CN, en_US, ar_SA). Any other language falls back to en_US here; an App's
//! own languages are served by templates.

/// A language the built-in strings exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    ZhCn,
    EnUs,
    ArSa,
}

impl Builtin {
    /// The built-in language for a push language id (exact ids, as templates match them);
    /// en_US for anything else.
    pub(crate) fn of(language: &str) -> Self {
        match language {
            "zh_CN" => Self::ZhCn,
            "ar_SA" => Self::ArSa,
            _ => Self::EnUs,
        }
    }
}

/// Longest push body, in characters, whatever its source (longer ones are cut and end in
/// "…"): a notification shows a line or two, and providers cap the payload.
pub(crate) const MAX_BODY_CHARS: usize = 200;

/// The generic body shown instead of the content when the receiver hides push details
/// (R260).
pub(crate) fn generic(lang: Builtin) -> &'static str {
    match lang {
        Builtin::ZhCn => "您收到了一条通知",
        Builtin::EnUs => "You received a notification",
        Builtin::ArSa => "لقد تلقيت إشعارًا",
    }
}

/// The placeholder body of a built-in media or rich message type; `None` for text-bearing
/// types (see [`text_of`]) and for types without a default (custom messages: no push).
pub(crate) fn placeholder(object_name: &str, lang: Builtin) -> Option<&'static str> {
    use Builtin::*;
    let [zh, en, ar] = match object_name {
        "RC:ImgMsg" => ["[图片]", "[Image]", "[صورة]"],
        "RC:GIFMsg" => ["[动图]", "[GIF]", "[صورة متحركة]"],
        "RC:VcMsg" | "RC:HQVCMsg" => ["[语音]", "[Voice]", "[رسالة صوتية]"],
        "RC:SightMsg" => ["[小视频]", "[Video]", "[فيديو]"],
        "RC:FileMsg" => ["[文件]", "[File]", "[ملف]"],
        "RC:LBSMsg" => ["[位置]", "[Location]", "[موقع]"],
        "RC:CombineMsg" | "RC:CombineV2Msg" => ["[聊天记录]", "[Chat history]", "[سجل الدردشة]"],
        "RC:ImgTextMsg" => ["[图文]", "[Link]", "[رابط]"],
        _ => return None,
    };
    Some(match lang {
        ZhCn => zh,
        EnUs => en,
        ArSa => ar,
    })
}

/// The content key holding the readable text of a text-bearing built-in type: the body of
/// its push.
pub(crate) fn text_key(object_name: &str) -> Option<&'static str> {
    match object_name {
        "RC:TxtMsg" | "RC:ReferenceMsg" => Some("content"),
        _ => None,
    }
}

/// `text` cut to [`MAX_BODY_CHARS`] characters ("…" appended when cut).
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_BODY_CHARS) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_types_and_shortening() {
        assert_eq!(Builtin::of("zh_CN"), Builtin::ZhCn);
        assert_eq!(Builtin::of("ar_SA"), Builtin::ArSa);
        // Exact ids only (R264): en-US is not en_US, but both fall back to English.
        assert_eq!(Builtin::of("zh-CN"), Builtin::EnUs);
        assert_eq!(generic(Builtin::EnUs), "You received a notification");
        assert_eq!(placeholder("RC:ImgMsg", Builtin::ZhCn), Some("[图片]"));
        assert_eq!(placeholder("RC:HQVCMsg", Builtin::EnUs), Some("[Voice]"));
        assert_eq!(placeholder("RC:TxtMsg", Builtin::EnUs), None);
        assert_eq!(placeholder("App:Custom", Builtin::EnUs), None);
        assert_eq!(text_key("RC:TxtMsg"), Some("content"));
        assert_eq!(shorten("héllo"), "héllo");
        let long: String = "é".repeat(MAX_BODY_CHARS + 5);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_BODY_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
