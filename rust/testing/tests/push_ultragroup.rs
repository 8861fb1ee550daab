//! Offline pushes of ultra-group messages end to end: a server whose push providers are the
//! stand-ins, members with registered phones that are offline, messages published through
//! the Server API. Who gets a push: the members who can read the channel (a private
//! channel's listed members only), not the sender, and only while their levels allow it — the
//! user's own level first, then the channel's default, then the group's (R236–R244).

mod push_support;

use push_support::*;
use rcim_proto::v1::{change_user_setting, ChangeUserSetting, Platform, TypeNotificationLevel};
use rcim_testing::server_api;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

impl Env {
    async fn start() -> Env {
        Env::start_tweaked(|_| {}, |_| {}).await
    }

    async fn api(&self, path: &str, params: &[(&str, &str)]) {
        let r = server_api(&self.server.navi_url(), path, params).await;
        assert_eq!(r["code"], 200, "{path}: {r}");
    }

    async fn publish(&self, channel: &str, text: &str) {
        let body = json!({
            "fromUserId": "alice",
            "toGroupIds": ["ug"],
            "busChannel": channel,
            "objectName": "RC:TxtMsg",
            "content": json!({"content": text}).to_string(),
        });
        let r = api_json(&self.server, "/message/ultragroup/publish.json", body).await;
        assert_eq!(r["code"], 200, "{r}");
    }

    /// Waits until `n` notifications were decided in all and the dispatcher is idle, then
    /// checks no more were decided.
    async fn settle(&self, n: u64) {
        let running = self.server.running();
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let s = running.push_stats();
            let d = s.dispatch;
            if s.decided >= n && d.enqueued == d.delivered + d.failed + d.unregistered {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "push stats {s:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Decisions run in order: a little time for one that should not have happened.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(running.push_stats().decided, n, "no more pushes decided");
    }

    /// The users (by token) pushed so far, with the text of each push, in order.
    fn pushed(&self) -> Vec<(String, String)> {
        self.push
            .apns
            .received()
            .into_iter()
            .map(|r| {
                let body = r.body["aps"]["alert"]["body"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned();
                (r.token, body)
            })
            .collect()
    }
}

fn push(token: &str, text: &str) -> (String, String) {
    (token.to_owned(), text.to_owned())
}

#[tokio::test]
async fn ultra_group_pushes_follow_channels_and_levels() {
    let env = Env::start().await;
    for (user, token) in [("bob", "b0b0"), ("carol", "ca401"), ("dave", "da7e")] {
        Device::register(
            &env.server,
            user,
            "phone",
            Platform::Mobile,
            Token::Apns(token),
        )
        .await;
    }
    env.api(
        "/ultragroup/create.json",
        &[
            ("userId", "alice"),
            ("groupId", "ug"),
            ("groupName", "Guild"),
        ],
    )
    .await;
    env.api(
        "/ultragroup/join.json",
        &[("userId", "bob,carol,dave"), ("groupId", "ug")],
    )
    .await;
    for (channel, kind) in [("staff", "1"), ("news", "0")] {
        env.api(
            "/ultragroup/channel/create.json",
            &[("groupId", "ug"), ("busChannel", channel), ("type", kind)],
        )
        .await;
    }
    env.api(
        "/ultragroup/channel/private/users/add.json",
        &[
            ("groupId", "ug"),
            ("busChannel", "staff"),
            ("userIds", "alice,bob"),
        ],
    )
    .await;

    // Every member who can read the channel, not the sender.
    env.publish("", "to all").await;
    env.settle(3).await;
    let mut first = env.pushed();
    first.sort();
    assert_eq!(
        first,
        [
            push("b0b0", "to all"),
            push("ca401", "to all"),
            push("da7e", "to all")
        ]
    );
    // A private channel: its listed members only.
    env.publish("staff", "staff only").await;
    env.settle(4).await;
    assert_eq!(env.pushed()[3..], [push("b0b0", "staff only")]);

    // The group's default BLOCKED: nothing; a channel's default ALL overrides it there.
    env.api(
        "/ultragroup/notdisturb/set.json",
        &[("groupId", "ug"), ("unpushLevel", "5")],
    )
    .await;
    env.api(
        "/ultragroup/notdisturb/set.json",
        &[
            ("groupId", "ug"),
            ("busChannel", "news"),
            ("unpushLevel", "-1"),
        ],
    )
    .await;
    env.publish("", "blocked by the group").await;
    env.publish("news", "news for all").await;
    env.settle(7).await;
    let mut news = env.pushed()[4..].to_vec();
    news.sort();
    assert_eq!(
        news,
        [
            push("b0b0", "news for all"),
            push("ca401", "news for all"),
            push("da7e", "news for all")
        ]
    );

    // A user's own level wins over the defaults: carol wants every ultra-group message.
    let mut carol =
        Device::connect(&env.server, "carol", "pc", Platform::Desktop, Token::None).await;
    carol
        .user_setting(ChangeUserSetting {
            change: Some(change_user_setting::Change::TypeLevel(
                TypeNotificationLevel {
                    conversation_type: 5,
                    level: 0,
                },
            )),
        })
        .await;
    carol.close().await;
    env.publish("", "carol's choice").await;
    env.settle(8).await;
    assert_eq!(env.pushed()[7..], [push("ca401", "carol's choice")]);
}
