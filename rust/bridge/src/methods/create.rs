//! `create*Message`: message objects built by the engine (nothing stored). The reply carries
//! the message (`{"code": 0, "value": message}`); bad arguments answer PARAM_ERROR (1).

use super::args::null_as_empty;
use super::rows::{parse_args, Custom, Reply, Row};
use crate::call::{ArgError, Context, Outcome};
use rcim_core::engine::create::Target;
use rcim_core::{Code, Engine, Message};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub(super) const ROWS: &[&dyn Row] = &[
    &Custom {
        names: &["createTextMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: TextArgs| {
                e.create_text_message(to, &a.text)
            })
        },
    },
    &Custom {
        names: &["createImageMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: PathArgs| {
                e.create_image_message(to, &a.path)
            })
        },
    },
    &Custom {
        names: &["createFileMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: PathArgs| {
                e.create_file_message(to, &a.path)
            })
        },
    },
    &Custom {
        names: &["createGIFMessage"],
        run: |c, a| create(c, a, |e, to, a: PathArgs| e.create_gif_message(to, &a.path)),
    },
    &Custom {
        names: &["createVoiceMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: DurationArgs| {
                e.create_voice_message(to, &a.path, a.duration)
            })
        },
    },
    &Custom {
        names: &["createSightMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: DurationArgs| {
                e.create_sight_message(to, &a.path, a.duration)
            })
        },
    },
    &Custom {
        names: &["createReferenceMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: ReferenceArgs| {
                e.create_reference_message(to, &a.reference_message, &a.text)
            })
        },
    },
    &Custom {
        names: &["createCustomMessage"],
        run: |c, a| {
            create(c, a, |e, to, a: CustomArgs| {
                e.create_custom_message(to, a.policy, &a.message_identifier, a.fields)
            })
        },
    },
    // The thumbnail is made off the JS thread: the reply comes when it is ready.
    &Reply {
        names: &["createLocationMessage"],
        run: |e, a: &LocationArgs| {
            e.create_location_message(
                a.target.target(),
                a.longitude,
                a.latitude,
                &a.poi_name,
                &a.thumbnail_path,
            )
        },
    },
];

/// The conversation part every `create*` takes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
}

impl TargetArgs {
    fn target(&self) -> Target<'_> {
        Target {
            conversation_type: self.conversation_type,
            target_id: &self.target_id,
            channel_id: Some(&self.channel_id),
        }
    }
}

#[derive(Deserialize)]
struct TextArgs {
    text: String,
}

#[derive(Deserialize)]
struct PathArgs {
    path: String,
}

#[derive(Deserialize)]
struct DurationArgs {
    path: String,
    duration: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceArgs {
    reference_message: Message,
    text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomArgs {
    policy: u32,
    message_identifier: String,
    #[serde(default)]
    fields: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationArgs {
    #[serde(flatten)]
    target: TargetArgs,
    longitude: f64,
    latitude: f64,
    #[serde(default, deserialize_with = "null_as_empty")]
    poi_name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    thumbnail_path: String,
}

/// Parses the target and the method's own arguments `A`, and answers with what `build` makes.
fn create<A: DeserializeOwned>(
    context: &Context<'_>,
    args: Value,
    build: fn(&Engine, Target<'_>, A) -> Result<Message, Code>,
) -> Result<Outcome, ArgError> {
    let target: TargetArgs = parse_args(args.clone())?;
    let own: A = parse_args(args)?;
    Ok(Outcome::Now(
        match build(context.engine, target.target(), own) {
            Ok(message) => json!({ "code": 0, "value": message }),
            Err(rejected) => json!({ "code": rejected.value() }),
        },
    ))
}
