//! The ultra-group Server API with RongCloud's parameters and answers: groups (create, dis,
//! join, quit, refresh, member/exist), channels (create, del, get, type/change, private
//! users), mutes (userbanned, globalbanned, banned/whitelist) and default levels
//! (notdisturb), with their codes, and everything surviving a restart.

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::codes;
use ultragroup_common::make_named_group;

/// A call expected to fail: its code (HTTP 200 for business codes, 400 for 1002).
async fn code_of(api: &Api, path: &str, params: &[(&str, &str)]) -> u64 {
    let (status, body) = api.call_with(path, params, APP_KEY, APP_SECRET, "").await;
    let code = body["code"].as_u64().expect("a code");
    let expected_status = if code == 1002 { 400 } else { 200 };
    assert_eq!(status, expected_status, "{path}: {body}");
    code
}

async fn exists(api: &Api, group: &str, user: &str) -> bool {
    let r = api
        .call(
            "/ultragroup/member/exist.json",
            &[("groupId", group), ("userId", user)],
        )
        .await;
    r["status"].as_bool().expect("status")
}

async fn channels(api: &Api, group: &str) -> Vec<(String, String)> {
    let r = api
        .call("/ultragroup/channel/get.json", &[("groupId", group)])
        .await;
    let list = r["channelList"].as_array().expect("channelList");
    for c in list {
        assert_eq!(c["createTime"].as_str().unwrap().len(), 19, "{c}");
    }
    strings(&r["channelList"], "channelId")
        .into_iter()
        .zip(strings(&r["channelList"], "type"))
        .collect()
}

fn pair(id: &str, kind: &str) -> (String, String) {
    (id.to_owned(), kind.to_owned())
}

#[tokio::test]
async fn groups_and_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let g = [("groupId", "ug1")];
    assert_eq!(
        code_of(
            &api,
            "/ultragroup/member/exist.json",
            &[("groupId", "ug1"), ("userId", "a")]
        )
        .await,
        u64::from(codes::ULTRA_GROUP_NOT_EXIST)
    );
    api.call(
        "/ultragroup/create.json",
        &[("userId", "a"), ("groupId", "ug1"), ("groupName", "One")],
    )
    .await;
    assert!(exists(&api, "ug1", "a").await, "the creator is a member");
    assert!(!exists(&api, "ug1", "b").await);
    api.call(
        "/ultragroup/join.json",
        &[("userId", "b"), ("groupId", "ug1")],
    )
    .await;
    api.call(
        "/ultragroup/join.json",
        &[("userId", "c,d"), ("groupId", "ug1")],
    )
    .await;
    assert!(exists(&api, "ug1", "b").await && exists(&api, "ug1", "d").await);
    api.call(
        "/ultragroup/quit.json",
        &[("userId", "d"), ("groupId", "ug1")],
    )
    .await;
    assert!(!exists(&api, "ug1", "d").await);
    api.call(
        "/ultragroup/refresh.json",
        &[("groupId", "ug1"), ("groupName", "Renamed")],
    )
    .await;
    // Parameters: missing or invalid => 1002; unknown group => 24410.
    for (path, params) in [
        (
            "/ultragroup/create.json",
            vec![("groupId", "x"), ("groupName", "X")],
        ),
        (
            "/ultragroup/create.json",
            vec![("userId", "a"), ("groupName", "X")],
        ),
        (
            "/ultragroup/create.json",
            vec![("userId", "a"), ("groupId", "x")],
        ),
        (
            "/ultragroup/create.json",
            vec![("userId", "a"), ("groupId", "x y"), ("groupName", "X")],
        ),
        ("/ultragroup/join.json", vec![("groupId", "ug1")]),
        ("/ultragroup/refresh.json", vec![("groupId", "ug1")]),
    ] {
        assert_eq!(
            code_of(&api, path, &params).await,
            1002,
            "{path} {params:?}"
        );
    }
    for path in ["/ultragroup/join.json", "/ultragroup/quit.json"] {
        let code = code_of(&api, path, &[("userId", "a"), ("groupId", "nope")]).await;
        assert_eq!(code, u64::from(codes::ULTRA_GROUP_NOT_EXIST), "{path}");
    }
    assert_eq!(
        code_of(&api, "/ultragroup/dis.json", &[("groupId", "nope")]).await,
        u64::from(codes::ULTRA_GROUP_NOT_EXIST)
    );
    // Everything survives a restart.
    server.shutdown().await;
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    assert!(exists(&api, "ug1", "c").await && !exists(&api, "ug1", "d").await);
    api.call("/ultragroup/dis.json", &g).await;
    assert_eq!(
        code_of(
            &api,
            "/ultragroup/member/exist.json",
            &[("groupId", "ug1"), ("userId", "a")]
        )
        .await,
        u64::from(codes::ULTRA_GROUP_NOT_EXIST)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_user_joins_at_most_100_groups() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    for n in 0..100 {
        let id = format!("g{n}");
        api.call(
            "/ultragroup/create.json",
            &[("userId", "owner"), ("groupId", &id), ("groupName", "G")],
        )
        .await;
        api.call(
            "/ultragroup/join.json",
            &[("userId", "a"), ("groupId", &id)],
        )
        .await;
    }
    let over = [("userId", "owner"), ("groupId", "g100"), ("groupName", "G")];
    assert_eq!(
        code_of(&api, "/ultragroup/create.json", &over).await,
        u64::from(codes::ULTRA_GROUP_NUMBER_EXCEED_LIMIT)
    );
    api.call(
        "/ultragroup/create.json",
        &[("userId", "b"), ("groupId", "g100"), ("groupName", "G")],
    )
    .await;
    assert_eq!(
        code_of(
            &api,
            "/ultragroup/join.json",
            &[("userId", "c,a"), ("groupId", "g100")]
        )
        .await,
        u64::from(codes::ULTRA_GROUP_NUMBER_EXCEED_LIMIT)
    );
    assert!(!exists(&api, "g100", "c").await, "nobody joined");
    // Leaving one makes room for another.
    api.call(
        "/ultragroup/quit.json",
        &[("userId", "a"), ("groupId", "g0")],
    )
    .await;
    api.call(
        "/ultragroup/join.json",
        &[("userId", "a"), ("groupId", "g100")],
    )
    .await;
    server.shutdown().await;
}

#[tokio::test]
async fn channels_and_private_members() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    make_named_group(&api, "ug", "G", "a", &["b", "c"]).await;
    assert_eq!(channels(&api, "ug").await, [pair("RCDefault", "PUBLIC")]);
    let create =
        |c: &'static str, t: &'static str| [("groupId", "ug"), ("busChannel", c), ("type", t)];
    api.call("/ultragroup/channel/create.json", &create("news", "0"))
        .await;
    api.call("/ultragroup/channel/create.json", &create("staff", "1"))
        .await;
    assert_eq!(
        channels(&api, "ug").await,
        [
            pair("RCDefault", "PUBLIC"),
            pair("news", "PUBLIC"),
            pair("staff", "PRIVATE")
        ]
    );
    // Pages.
    let r = api
        .call(
            "/ultragroup/channel/get.json",
            &[("groupId", "ug"), ("page", "2"), ("limit", "2")],
        )
        .await;
    assert_eq!(strings(&r["channelList"], "channelId"), ["staff"]);
    // Private members: members only (24406, nobody added), ≤ 20.
    let add = "/ultragroup/channel/private/users/add.json";
    let staff = |users: &'static str| {
        [
            ("groupId", "ug"),
            ("busChannel", "staff"),
            ("userIds", users),
        ]
    };
    assert_eq!(
        code_of(&api, add, &staff("b,zz")).await,
        u64::from(codes::NOT_IN_ULTRA_GROUP)
    );
    api.call(add, &staff("b,c")).await;
    api.call("/ultragroup/channel/private/users/del.json", &staff("c"))
        .await;
    let get = [("groupId", "ug"), ("busChannel", "staff")];
    let r = api
        .call("/ultragroup/channel/private/users/get.json", &get)
        .await;
    assert_eq!(strings(&r["users"], ""), ["b"]);
    let many: Vec<String> = (0..21).map(|n| format!("u{n}")).collect();
    let many = many.join(",");
    assert_eq!(
        code_of(
            &api,
            add,
            &[
                ("groupId", "ug"),
                ("busChannel", "staff"),
                ("userIds", &many)
            ]
        )
        .await,
        1002
    );
    // Type changes; RCDefault stays public and cannot be deleted.
    let change = "/ultragroup/channel/type/change.json";
    api.call(
        change,
        &[("groupId", "ug"), ("busChannel", "news"), ("type", "1")],
    )
    .await;
    let rcdefault = [
        ("groupId", "ug"),
        ("busChannel", "RCDefault"),
        ("type", "1"),
    ];
    assert_eq!(code_of(&api, change, &rcdefault).await, 1002);
    let del = "/ultragroup/channel/del.json";
    assert_eq!(
        code_of(&api, del, &[("groupId", "ug"), ("busChannel", "RCDefault")]).await,
        1002
    );
    assert_eq!(
        code_of(&api, del, &[("groupId", "ug"), ("busChannel", "nope")]).await,
        u64::from(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    );
    for bad in [
        create("bad id", "0"),
        create("x", "2"),
        create("a123456789012345678901", "0"),
    ] {
        assert_eq!(
            code_of(&api, "/ultragroup/channel/create.json", &bad).await,
            1002
        );
    }
    // At most 50 channels, RCDefault included.
    for n in 3..50 {
        let id = format!("c{n}");
        api.call(
            "/ultragroup/channel/create.json",
            &[("groupId", "ug"), ("busChannel", &id)],
        )
        .await;
    }
    assert_eq!(
        code_of(
            &api,
            "/ultragroup/channel/create.json",
            &[("groupId", "ug"), ("busChannel", "one-more")]
        )
        .await,
        u64::from(codes::ULTRA_GROUP_CHANNELS_EXCEED_LIMIT)
    );
    api.call(del, &[("groupId", "ug"), ("busChannel", "c3")])
        .await;
    server.shutdown().await;
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let listed = channels(&api, "ug").await;
    assert_eq!(listed.len(), 20, "the first page");
    assert_eq!(
        listed[..3],
        [
            pair("RCDefault", "PUBLIC"),
            pair("news", "PRIVATE"),
            pair("staff", "PRIVATE")
        ]
    );
    let r = api
        .call("/ultragroup/channel/private/users/get.json", &get)
        .await;
    assert_eq!(strings(&r["users"], ""), ["b"]);
    // Quitting takes the listing with it.
    api.call(
        "/ultragroup/quit.json",
        &[("userId", "b"), ("groupId", "ug")],
    )
    .await;
    let r = api
        .call("/ultragroup/channel/private/users/get.json", &get)
        .await;
    assert!(strings(&r["users"], "").is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn mute_lists_and_default_levels() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    api.call(
        "/ultragroup/create.json",
        &[("userId", "a"), ("groupId", "ug"), ("groupName", "G")],
    )
    .await;
    api.call(
        "/ultragroup/channel/create.json",
        &[("groupId", "ug"), ("busChannel", "news")],
    )
    .await;
    let users = |path: &str| path.to_owned();
    for (add, get) in [
        (
            "/ultragroup/userbanned/add.json",
            "/ultragroup/userbanned/get.json",
        ),
        (
            "/ultragroup/banned/whitelist/add.json",
            "/ultragroup/banned/whitelist/get.json",
        ),
    ] {
        api.call(add, &[("groupId", "ug"), ("userIds", "x,y")])
            .await;
        api.call(
            add,
            &[("groupId", "ug"), ("userIds", "z"), ("busChannel", "news")],
        )
        .await;
        let del = users(add).replace("add.json", "del.json");
        api.call(&del, &[("groupId", "ug"), ("userIds", "y")]).await;
        let r = api.call(get, &[("groupId", "ug")]).await;
        assert_eq!(strings(&r["users"], "id"), ["x"], "{get}");
        let r = api
            .call(get, &[("groupId", "ug"), ("busChannel", "news")])
            .await;
        assert_eq!(strings(&r["users"], "id"), ["z"], "{get}");
        assert_eq!(
            code_of(
                &api,
                add,
                &[("groupId", "ug"), ("userIds", "x"), ("busChannel", "nope")]
            )
            .await,
            u64::from(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
        );
        assert_eq!(
            code_of(&api, add, &[("groupId", "nope"), ("userIds", "x")]).await,
            u64::from(codes::ULTRA_GROUP_NOT_EXIST)
        );
    }
    let status = |channel: &'static str| [("groupId", "ug"), ("busChannel", channel)];
    api.call(
        "/ultragroup/globalbanned/set.json",
        &[
            ("groupId", "ug"),
            ("busChannel", "news"),
            ("status", "true"),
        ],
    )
    .await;
    let r = api
        .call("/ultragroup/globalbanned/get.json", &status("news"))
        .await;
    assert_eq!(r["status"], true);
    let r = api
        .call("/ultragroup/globalbanned/get.json", &status(""))
        .await;
    assert_eq!(r["status"], false);
    assert_eq!(
        code_of(&api, "/ultragroup/globalbanned/set.json", &status("news")).await,
        1002,
        "status is required"
    );
    // Default levels: RongCloud's numbers in and out; 3 is not one of them.
    let set = "/ultragroup/notdisturb/set.json";
    api.call(set, &[("groupId", "ug"), ("unpushLevel", "5")])
        .await;
    api.call(
        set,
        &[
            ("groupId", "ug"),
            ("busChannel", "news"),
            ("unpushLevel", "-1"),
        ],
    )
    .await;
    assert_eq!(
        code_of(&api, set, &[("groupId", "ug"), ("unpushLevel", "3")]).await,
        1002
    );
    assert_eq!(
        code_of(
            &api,
            set,
            &[
                ("groupId", "ug"),
                ("busChannel", "nope"),
                ("unpushLevel", "1")
            ]
        )
        .await,
        u64::from(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    );
    server.shutdown().await;
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let get = "/ultragroup/notdisturb/get.json";
    let r = api.call(get, &[("groupId", "ug")]).await;
    assert_eq!(
        (r["groupId"].as_str(), r["unpushLevel"].as_i64()),
        (Some("ug"), Some(5))
    );
    let r = api.call(get, &status("news")).await;
    assert_eq!(
        (r["busChannel"].as_str(), r["unpushLevel"].as_i64()),
        (Some("news"), Some(-1))
    );
    let r = api.call(get, &status("RCDefault")).await;
    assert_eq!(r["unpushLevel"], 0, "not set");
    let r = api
        .call("/ultragroup/globalbanned/get.json", &status("news"))
        .await;
    assert_eq!(r["status"], true);
    let r = api
        .call("/ultragroup/userbanned/get.json", &[("groupId", "ug")])
        .await;
    assert_eq!(strings(&r["users"], "id"), ["x"]);
    server.shutdown().await;
}
