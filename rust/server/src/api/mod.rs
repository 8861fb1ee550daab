//! The RongCloud-compatible Server API: one axum route per endpoint (the table below: search
//! it for a path to find its handler), the signature middleware ([`auth`]) on all of them,
//! parameters through the [`params::Params`] extractor, JSON answers ([`reply`]). Handlers
//! check the syntax of their parameters and call `crate::service` for the rest.

mod auth;
mod blacklist;
mod chatroom;
mod chatroom_kv;
mod chatroom_members;
mod chatroom_moderation;
mod chatroom_params;
mod chatroom_publish;
mod checks;
mod conversation;
mod expansion;
mod group;
mod message;
mod moderation;
mod params;
mod publish_fields;
mod push;
mod push_ext;
mod push_template;
pub(crate) mod replay;
mod reply;
mod sensitive;
mod ultragroup;
mod ultragroup_channels;
mod ultragroup_levels;
mod ultragroup_messages;
mod ultragroup_mutes;
mod ultragroup_params;
mod user;

use crate::state::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::{middleware, Router};
use params::Params;
use reply::{ApiResult, Fields};
use std::future::Future;
use std::sync::Arc;

pub(crate) use auth::header_value;
pub(crate) use params::Params as ApiParams;
pub(crate) use reply::{json_headers, ApiCode, ApiError, Fields as ApiFields};

/// Every implemented endpoint, behind the signature check.
pub(crate) fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/user/getToken.json", endpoint(user::get_token))
        .route("/user/refresh.json", endpoint(user::refresh))
        .route("/user/token/expire.json", endpoint(user::expire_token))
        .route("/user/checkOnline.json", endpoint(user::check_online))
        .route("/user/blacklist/add.json", endpoint(blacklist::add))
        .route("/user/blacklist/remove.json", endpoint(blacklist::remove))
        .route("/user/blacklist/query.json", endpoint(blacklist::query))
        .route(
            "/message/private/publish.json",
            endpoint(message::private_publish),
        )
        .route(
            "/message/group/publish.json",
            endpoint(message::group_publish),
        )
        .route("/message/recall.json", endpoint(message::recall))
        .route("/message/expansion/set.json", endpoint(expansion::set))
        .route(
            "/message/expansion/delete.json",
            endpoint(expansion::delete),
        )
        .route("/message/expansion/query.json", endpoint(expansion::query))
        .route(
            "/conversation/message/history/clean.json",
            endpoint(conversation::clean_history),
        )
        .route(
            "/statusmessage/private/publish.json",
            endpoint(message::private_status_publish),
        )
        .route(
            "/statusmessage/group/publish.json",
            endpoint(message::group_status_publish),
        )
        .route("/push.json", endpoint(push::broadcast))
        .route("/push/user.json", endpoint(push::to_users))
        .route("/group/create.json", endpoint(group::create))
        .route("/group/join.json", endpoint(group::join))
        .route("/group/quit.json", endpoint(group::quit))
        .route("/group/dismiss.json", endpoint(group::dismiss))
        .route("/group/user/query.json", endpoint(group::query_users))
        .route("/sensitiveword/add.json", endpoint(sensitive::add))
        .route("/sensitiveword/delete.json", endpoint(sensitive::delete))
        .route(
            "/sensitiveword/batch/delete.json",
            endpoint(sensitive::batch_delete),
        )
        .route("/sensitiveword/list.json", endpoint(sensitive::list))
        .route("/user/block.json", endpoint(moderation::block))
        .route("/user/unblock.json", endpoint(moderation::unblock))
        .route("/user/block/query.json", endpoint(moderation::block_query))
        .route("/group/user/gag/add.json", endpoint(moderation::gag_add))
        .route(
            "/group/user/gag/rollback.json",
            endpoint(moderation::gag_rollback),
        )
        .route("/group/user/gag/list.json", endpoint(moderation::gag_list))
        .route("/push/template/set.json", endpoint(push_template::set))
        .route(
            "/push/template/delete.json",
            endpoint(push_template::delete),
        )
        .route("/push/template/query.json", endpoint(push_template::query))
        .route("/chatroom/create.json", endpoint(chatroom::create))
        .route("/chatroom/create_new.json", endpoint(chatroom::create_new))
        .route("/chatroom/destroy.json", endpoint(chatroom::destroy))
        .route("/chatroom/get.json", endpoint(chatroom::get))
        .route("/chatroom/query.json", endpoint(chatroom::query))
        .route(
            "/chatroom/user/query.json",
            endpoint(chatroom_members::query),
        )
        .route(
            "/chatroom/user/exist.json",
            endpoint(chatroom_members::exist),
        )
        .route(
            "/chatroom/users/exist.json",
            endpoint(chatroom_members::exist_many),
        )
        .route(
            "/chatroom/user/gag/add.json",
            endpoint(chatroom_moderation::gag_add),
        )
        .route(
            "/chatroom/user/gag/rollback.json",
            endpoint(chatroom_moderation::gag_rollback),
        )
        .route(
            "/chatroom/user/gag/list.json",
            endpoint(chatroom_moderation::gag_list),
        )
        .route(
            "/chatroom/user/block/add.json",
            endpoint(chatroom_moderation::block_add),
        )
        .route(
            "/chatroom/user/block/rollback.json",
            endpoint(chatroom_moderation::block_rollback),
        )
        .route(
            "/chatroom/user/block/list.json",
            endpoint(chatroom_moderation::block_list),
        )
        .route(
            "/chatroom/user/whitelist/add.json",
            endpoint(chatroom_moderation::whitelist_add),
        )
        .route(
            "/chatroom/user/whitelist/remove.json",
            endpoint(chatroom_moderation::whitelist_remove),
        )
        .route(
            "/chatroom/user/whitelist/query.json",
            endpoint(chatroom_moderation::whitelist_query),
        )
        .route("/chatroom/entry/set.json", endpoint(chatroom_kv::set))
        .route(
            "/chatroom/entry/batch/set.json",
            endpoint(chatroom_kv::batch_set),
        )
        .route("/chatroom/entry/remove.json", endpoint(chatroom_kv::remove))
        .route("/chatroom/entry/query.json", endpoint(chatroom_kv::query))
        .route(
            "/message/chatroom/publish.json",
            endpoint(chatroom_publish::publish),
        )
        .route("/ultragroup/create.json", endpoint(ultragroup::create))
        .route("/ultragroup/dis.json", endpoint(ultragroup::dismiss))
        .route("/ultragroup/join.json", endpoint(ultragroup::join))
        .route("/ultragroup/quit.json", endpoint(ultragroup::quit))
        .route("/ultragroup/refresh.json", endpoint(ultragroup::refresh))
        .route(
            "/ultragroup/member/exist.json",
            endpoint(ultragroup::member_exist),
        )
        .route(
            "/ultragroup/channel/create.json",
            endpoint(ultragroup_channels::create),
        )
        .route(
            "/ultragroup/channel/del.json",
            endpoint(ultragroup_channels::delete),
        )
        .route(
            "/ultragroup/channel/get.json",
            endpoint(ultragroup_channels::list),
        )
        .route(
            "/ultragroup/channel/type/change.json",
            endpoint(ultragroup_channels::change_type),
        )
        .route(
            "/ultragroup/channel/private/users/add.json",
            endpoint(ultragroup_channels::private_users_add),
        )
        .route(
            "/ultragroup/channel/private/users/del.json",
            endpoint(ultragroup_channels::private_users_del),
        )
        .route(
            "/ultragroup/channel/private/users/get.json",
            endpoint(ultragroup_channels::private_users_get),
        )
        .route(
            "/ultragroup/userbanned/add.json",
            endpoint(ultragroup_mutes::muted_add),
        )
        .route(
            "/ultragroup/userbanned/del.json",
            endpoint(ultragroup_mutes::muted_del),
        )
        .route(
            "/ultragroup/userbanned/get.json",
            endpoint(ultragroup_mutes::muted_get),
        )
        .route(
            "/ultragroup/globalbanned/set.json",
            endpoint(ultragroup_mutes::all_set),
        )
        .route(
            "/ultragroup/globalbanned/get.json",
            endpoint(ultragroup_mutes::all_get),
        )
        .route(
            "/ultragroup/banned/whitelist/add.json",
            endpoint(ultragroup_mutes::allowed_add),
        )
        .route(
            "/ultragroup/banned/whitelist/del.json",
            endpoint(ultragroup_mutes::allowed_del),
        )
        .route(
            "/ultragroup/banned/whitelist/get.json",
            endpoint(ultragroup_mutes::allowed_get),
        )
        .route(
            "/ultragroup/notdisturb/set.json",
            endpoint(ultragroup_levels::set),
        )
        .route(
            "/ultragroup/notdisturb/get.json",
            endpoint(ultragroup_levels::get),
        )
        .route(
            "/message/ultragroup/publish.json",
            endpoint(ultragroup_messages::publish),
        )
        .route(
            "/ultragroup/msg/modify.json",
            endpoint(ultragroup_messages::modify),
        )
        .route(
            "/ultragroup/msg/get.json",
            endpoint(ultragroup_messages::get),
        )
        .route(
            "/ultragroup/hismsg/query.json",
            endpoint(ultragroup_messages::history),
        )
        .route(
            "/ultragroup/message/expansion/set.json",
            endpoint(ultragroup_messages::expansion_set),
        )
        .route(
            "/ultragroup/message/expansion/delete.json",
            endpoint(ultragroup_messages::expansion_delete),
        )
        .route(
            "/ultragroup/message/expansion/query.json",
            endpoint(ultragroup_messages::expansion_query),
        )
        .route_layer(middleware::from_fn_with_state(
            shared,
            auth::require_signature,
        ))
}

/// A `POST` route for `handler`: authenticated parameters in, response fields out.
fn endpoint<F, Fut>(handler: F) -> MethodRouter<Arc<Shared>>
where
    F: Fn(Arc<Shared>, Params) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ApiResult> + Send + 'static,
{
    post(
        move |State(shared): State<Arc<Shared>>, params: Params| async move {
            let answer: Response = match handler(shared, params).await {
                Ok(fields) => Fields(fields).into_response(),
                Err(e) => e.into_response(),
            };
            answer
        },
    )
}
