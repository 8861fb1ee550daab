//! The composition table: text precedence, languages, templates, hidden details, titles and
//! the platform fields.

use super::*;
use crate::push::records::TemplateText;
use crate::service::push::options::Mentions;

fn msg(ctype: u32, object_name: &str, content: &str) -> Message {
    Message {
        uid: "UID1".into(),
        conversation_type: ctype,
        to_id: if ctype == conversation_type::GROUP {
            "g1".into()
        } else {
            "bob".into()
        },
        channel_id: "".into(),
        sender_id: "al".into(),
        object_name: object_name.into(),
        content: content.into(),
        ..Default::default()
    }
}

fn template() -> PushTemplate {
    PushTemplate {
        id: "tpl".into(),
        texts: vec![
            TemplateText {
                language: "en_US".into(),
                title: "Hello".into(),
                content: "{name} wrote to you".into(),
            },
            TemplateText {
                language: "zh_CN".into(),
                title: "你好".into(),
                content: "{name} 给你发了消息".into(),
            },
        ],
    }
}

const EN: ReceiverView<'static> = ReceiverView {
    language: "en_US",
    hide_content: false,
};

/// The text for `view` of `m` with `options` (JSON), sender "Alice", group "Team".
fn text(m: &Message, options: &str, view: ReceiverView<'_>) -> Option<(String, String)> {
    let options = PushOptions::parse(options);
    let mentions = Mentions::of_content(&m.content);
    let tpl = template();
    let src = Source {
        msg: m,
        options: &options,
        sender_name: "Alice",
        group_name: "Team",
        template: (options.template_id == "tpl").then_some(&tpl),
        mentioned_content: &mentions.content,
    };
    src.text(view).map(|t| (t.title, t.body))
}

fn pair(title: &str, body: &str) -> Option<(String, String)> {
    Some((title.into(), body.into()))
}

#[test]
fn body_precedence_and_built_in_texts() {
    use conversation_type::{GROUP, PRIVATE, SYSTEM};
    let txt = msg(PRIVATE, "RC:TxtMsg", r#"{"content":"see you"}"#);
    // A text message: its text; the title is the sender's name (private, system) or the
    // group's (group).
    assert_eq!(text(&txt, "", EN), pair("Alice", "see you"));
    assert_eq!(
        text(&msg(SYSTEM, "RC:TxtMsg", r#"{"content":"x"}"#), "", EN),
        pair("Alice", "x")
    );
    assert_eq!(
        text(&msg(GROUP, "RC:TxtMsg", r#"{"content":"x"}"#), "", EN),
        pair("Team", "x")
    );
    // Media types: their placeholder in the receiver's language; unknown languages read
    // English.
    let img = msg(PRIVATE, "RC:ImgMsg", "{}");
    assert_eq!(text(&img, "", EN), pair("Alice", "[Image]"));
    let zh = ReceiverView {
        language: "zh_CN",
        hide_content: false,
    };
    assert_eq!(text(&img, "", zh), pair("Alice", "[图片]"));
    let fr = ReceiverView {
        language: "fr_FR",
        hide_content: false,
    };
    assert_eq!(text(&img, "", fr), pair("Alice", "[Image]"));
    // A custom message has no built-in text: no push unless it carries push text.
    let custom = msg(PRIVATE, "App:Poke", "{}");
    assert_eq!(text(&custom, "", EN), None);
    let with_push = Message {
        push_content: "poked".into(),
        ..custom.clone()
    };
    assert_eq!(text(&with_push, "", EN), pair("Alice", "poked"));
    // The options' pushContent and pushTitle; the message's push_content (a mention's
    // mentionedContent) wins over the options'.
    assert_eq!(
        text(&custom, r#"{"pushContent":"opt","pushTitle":"T"}"#, EN),
        pair("T", "opt")
    );
    let mention = Message {
        push_content: "@bob look".into(),
        ..txt.clone()
    };
    assert_eq!(
        text(&mention, r#"{"pushContent":"opt"}"#, EN),
        pair("Alice", "@bob look")
    );
    // The mention's mentionedContent in the content comes first of all (R131).
    let mentioned = Message {
        content: r#"{"content":"hi","mentionedInfo":{"type":2,"userIdList":["bob"],
            "mentionedContent":"Alice mentioned you"}}"#
            .into(),
        push_content: "@bob look".into(),
        ..txt.clone()
    };
    assert_eq!(
        text(&mentioned, r#"{"pushContent":"opt"}"#, EN),
        pair("Alice", "Alice mentioned you")
    );
    // Every body is cut to MAX_BODY_CHARS, whatever its source.
    let long_push = format!(r#"{{"pushContent":"{}"}}"#, "é".repeat(500));
    let (_, body) = text(&custom, &long_push, EN).unwrap();
    assert_eq!(body.chars().count(), texts::MAX_BODY_CHARS + 1);
    assert!(body.ends_with('…'));
    // An empty text and a long one.
    assert_eq!(
        text(&msg(PRIVATE, "RC:TxtMsg", r#"{"content":""}"#), "", EN),
        None
    );
    let long = "x".repeat(300);
    let (_, body) = text(
        &msg(PRIVATE, "RC:TxtMsg", &format!(r#"{{"content":"{long}"}}"#)),
        "",
        EN,
    )
    .unwrap();
    assert_eq!(body.chars().count(), texts::MAX_BODY_CHARS + 1);
    // Unnamed sender or group: their id.
    let options = PushOptions::default();
    let src = Source {
        msg: &txt,
        options: &options,
        sender_name: "",
        group_name: "",
        template: None,
        mentioned_content: "",
    };
    assert_eq!(src.text(EN).unwrap().title, "al");
    let grp = msg(GROUP, "RC:TxtMsg", r#"{"content":"x"}"#);
    let src = Source { msg: &grp, ..src };
    assert_eq!(src.text(EN).unwrap().title, "g1");
}

#[test]
fn templates_by_exact_language() {
    let txt = msg(
        conversation_type::PRIVATE,
        "RC:TxtMsg",
        r#"{"content":"hi"}"#,
    );
    let tpl = r#"{"templateId":"tpl"}"#;
    assert_eq!(text(&txt, tpl, EN), pair("Hello", "Alice wrote to you"));
    let zh = ReceiverView {
        language: "zh_CN",
        hide_content: false,
    };
    assert_eq!(text(&txt, tpl, zh), pair("你好", "Alice 给你发了消息"));
    // en-US is not en_US (R264): the default content.
    let en_dash = ReceiverView {
        language: "en-US",
        hide_content: false,
    };
    assert_eq!(text(&txt, tpl, en_dash), pair("Alice", "hi"));
    // Explicit title or content override the template (R263).
    assert_eq!(
        text(&txt, r#"{"templateId":"tpl","pushTitle":"T"}"#, EN),
        pair("T", "hi")
    );
    assert_eq!(
        text(&txt, r#"{"templateId":"tpl","pushContent":"C"}"#, EN),
        pair("Alice", "C")
    );
    // A template makes a custom message pushable.
    let custom = msg(conversation_type::PRIVATE, "App:Poke", "{}");
    assert_eq!(text(&custom, tpl, EN), pair("Hello", "Alice wrote to you"));
    // An unknown template id: as if none.
    assert_eq!(
        text(&txt, r#"{"templateId":"nope"}"#, EN),
        pair("Alice", "hi")
    );
}

#[test]
fn hidden_details_and_forced_detail() {
    let txt = msg(
        conversation_type::PRIVATE,
        "RC:TxtMsg",
        r#"{"content":"secret"}"#,
    );
    let hidden = |language| ReceiverView {
        language,
        hide_content: true,
    };
    assert_eq!(
        text(&txt, "", hidden("en_US")),
        pair("", "You received a notification")
    );
    assert_eq!(
        text(&txt, "", hidden("zh_CN")),
        pair("", "您收到了一条通知")
    );
    assert_eq!(
        text(&txt, "", hidden("ar_SA")),
        pair("", "لقد تلقيت إشعارًا")
    );
    // The sender forces detail (R251).
    assert_eq!(
        text(&txt, r#"{"forceShowDetailContent":true}"#, hidden("en_US")),
        pair("Alice", "secret")
    );
    // Hidden details carry no media either: no rich media URI (so no mutable-content), no
    // category, no FCM image; the real ones with force detail.
    let media = r#"{"iOSPushOptions":{"richMediaUri":"https://x/i.png","category":"cat"},
        "androidPushOptions":{"imageUrlFCM":"https://x/a.png"}}"#;
    let forced = r#"{"forceShowDetailContent":true,
        "iOSPushOptions":{"richMediaUri":"https://x/i.png","category":"cat"},
        "androidPushOptions":{"imageUrlFCM":"https://x/a.png"}}"#;
    let device = |provider| PushDevice {
        device_id: "d".into(),
        provider,
        token: "t".into(),
    };
    for (options, shown) in [(media, false), (forced, true)] {
        let options = PushOptions::parse(options);
        let src = Source {
            msg: &txt,
            options: &options,
            sender_name: "Alice",
            group_name: "",
            template: None,
            mentioned_content: "",
        };
        let t = src.text(hidden("en_US")).unwrap();
        let ios = src.notification(&t, &device(ProviderKind::Apns), 1).ios;
        let android = src.notification(&t, &device(ProviderKind::Fcm), 1).android;
        let got = (ios.rich_media_uri, ios.category, android.image_url);
        if shown {
            assert_eq!(
                got,
                (
                    "https://x/i.png".into(),
                    "cat".into(),
                    "https://x/a.png".into()
                )
            );
        } else {
            assert_eq!(got, (String::new(), String::new(), String::new()));
        }
    }
    // Hiding never makes an unpushable message pushable.
    let custom = msg(conversation_type::PRIVATE, "App:Poke", "{}");
    assert_eq!(text(&custom, "", hidden("en_US")), None);
}

#[test]
fn notification_fields_per_provider() {
    let m = Message {
        push_data: "appdata".into(),
        channel_id: "ch1".into(),
        ..msg(conversation_type::GROUP, "RC:ImgMsg", "{}")
    };
    let options = PushOptions::parse(
        r#"{"disablePushTitle":true,"voIPPush":true,
        "iOSPushOptions":{"threadId":"th","apnsCollapseId":"cid","richMediaUri":"https://x/i.png"},
        "androidPushOptions":{"channelIdFCM":"chan","collapseKeyFCM":"ck","imageUrlFCM":"https://x/a.png"}}"#,
    );
    let src = Source {
        msg: &m,
        options: &options,
        sender_name: "Alice",
        group_name: "Team",
        template: None,
        mentioned_content: "",
    };
    let t = src.text(EN).unwrap();
    let apns = PushDevice {
        device_id: "d1".into(),
        provider: ProviderKind::Apns,
        token: "ta".into(),
    };
    let fcm = PushDevice {
        device_id: "d2".into(),
        provider: ProviderKind::Fcm,
        token: "tf".into(),
    };
    let n = src.notification(&t, &apns, 3);
    assert_eq!(n.token, "ta");
    assert_eq!(n.title, "", "disablePushTitle drops the APNs title");
    assert_eq!(n.body, "[Image]");
    assert_eq!(n.data, "appdata");
    assert_eq!(n.badge, Some(3));
    assert!(n.voip);
    assert_eq!(
        n.rc,
        json!({"cType":"GRP","fId":"al","tId":"g1","oName":"RC:ImgMsg","id":"UID1","channelId":"ch1"})
    );
    assert_eq!(n.ios.thread_id, "th");
    assert_eq!(n.ios.collapse_id, "cid");
    assert_eq!(n.ios.category, "RC:ImgMsg");
    assert_eq!(n.ios.rich_media_uri, "https://x/i.png");
    let n = src.notification(&t, &fcm, 1);
    assert_eq!(n.title, "Team", "Android keeps its title (R250)");
    assert_eq!(n.android.channel_id, "chan");
    assert_eq!(n.android.collapse_key, "ck");
    assert_eq!(n.android.image_url, "https://x/a.png");
    assert_eq!(n.android.notification_id, "UID1");
    // A private message's rc; a collapse id over 64 bytes is not sent.
    let p = msg(
        conversation_type::PRIVATE,
        "RC:TxtMsg",
        r#"{"content":"x"}"#,
    );
    let long = PushOptions::parse(&format!(
        r#"{{"iOSPushOptions":{{"apnsCollapseId":"{}"}}}}"#,
        "c".repeat(65)
    ));
    let src = Source {
        msg: &p,
        options: &long,
        sender_name: "",
        group_name: "",
        template: None,
        mentioned_content: "",
    };
    let n = src.notification(&src.text(EN).unwrap(), &apns, 1);
    assert_eq!(n.rc["cType"], "PR");
    assert_eq!(n.rc["tId"], "");
    assert_eq!(n.ios.collapse_id, "");
    assert!(!n.voip);
    // Nor one that is not printable ASCII (it would be an invalid header value).
    for bad in [r"caf\u00e9", r"a\nb", r"tab\there"] {
        let o = PushOptions::parse(&format!(
            r#"{{"iOSPushOptions":{{"apnsCollapseId":"{bad}"}}}}"#
        ));
        let src = Source { options: &o, ..src };
        let n = src.notification(&src.text(EN).unwrap(), &apns, 1);
        assert_eq!(n.ios.collapse_id, "", "{bad:?}");
    }
    let o = PushOptions::parse(r#"{"iOSPushOptions":{"apnsCollapseId":"ok id-1"}}"#);
    let src = Source { options: &o, ..src };
    assert_eq!(
        src.notification(&src.text(EN).unwrap(), &apns, 1)
            .ios
            .collapse_id,
        "ok id-1"
    );
}
