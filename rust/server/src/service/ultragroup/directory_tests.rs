//! The directory's rules, presence and write-through (a reload from the store gives the same
//! answers).

use super::*;
use crate::service::ServiceError;
use crate::store::conformance::Harness;
use crate::store::{ServerStore, SqlStore};

fn users(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

struct Fixture {
    _dir: tempfile::TempDir,
    h: Harness,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let h = Harness::start(|sink| SqlStore::open(dir.path(), sink).unwrap());
        Self { _dir: dir, h }
    }

    fn store(&self) -> &dyn ServerStore {
        self.h.store.as_ref()
    }

    async fn reload(&self, limits: DirectoryLimits) -> Directory {
        Directory::load(self.store().ug_directory().await.unwrap(), limits)
    }
}

/// A group "g" created by "a" with "b" and "c" as members, a public channel "pub" and a
/// private channel "priv" listing "b".
async fn sample(f: &Fixture) -> Directory {
    let d = f.reload(DirectoryLimits::default()).await;
    let s = f.store();
    d.create_group(s, "g", "G", "a", 10).await.unwrap();
    d.join(s, "g", &users(&["b", "c"]), 11).await.unwrap();
    d.create_channel(s, "g", "pub", false, 12).await.unwrap();
    d.create_channel(s, "g", "priv", true, 13).await.unwrap();
    d.change_list(s, "g", "priv", UgListKind::Private, &users(&["b"]), true)
        .await
        .unwrap();
    d
}

fn check_access(d: &Directory) {
    assert_eq!(d.access("nope", "", "a"), Err(codes::ULTRA_GROUP_NOT_EXIST));
    assert_eq!(d.access("g", "", "x"), Err(codes::NOT_IN_ULTRA_GROUP));
    assert_eq!(
        d.access("g", "zz", "a"),
        Err(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    );
    assert_eq!(
        d.access("g", "priv", "c"),
        Err(codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL)
    );
    assert_eq!(d.access("g", "", "c"), Ok(ChannelAccess { private: false }));
    assert_eq!(
        d.access("g", "RCDefault", "c"),
        Ok(ChannelAccess { private: false })
    );
    assert_eq!(
        d.access("g", "priv", "b"),
        Ok(ChannelAccess { private: true })
    );
    let ids: Vec<_> = d
        .channels_of("c")
        .into_iter()
        .map(|c| c.channel_id)
        .collect();
    assert_eq!(ids, ["RCDefault", "pub"]);
    let ids: Vec<_> = d
        .channels_of("b")
        .into_iter()
        .map(|c| c.channel_id)
        .collect();
    assert_eq!(ids, ["RCDefault", "priv", "pub"]);
    assert!(d.channels_of("x").is_empty());
}

#[tokio::test]
async fn access_codes_and_channels_survive_a_reload() {
    let f = Fixture::new();
    let d = sample(&f).await;
    check_access(&d);
    check_access(&f.reload(DirectoryLimits::default()).await);
    let listed: Vec<_> = d
        .channels("g")
        .unwrap()
        .into_iter()
        .map(|c| (c.channel_id, c.private, c.created_at))
        .collect();
    assert_eq!(
        listed,
        [
            ("RCDefault".to_string(), false, 10),
            ("pub".to_string(), false, 12),
            ("priv".to_string(), true, 13)
        ]
    );
    assert_eq!(d.members_of("g"), ["a", "b", "c"]);
    assert_eq!(d.is_member("g", "c"), Ok(true));
    assert_eq!(d.is_member("zz", "c"), Err(codes::ULTRA_GROUP_NOT_EXIST));
}

#[tokio::test]
async fn mutes_and_allow_lists() {
    let f = Fixture::new();
    let d = sample(&f).await;
    let s = f.store();
    let muted = Err(codes::FORBIDDEN_IN_ULTRA_GROUP);
    assert!(d.check_send("g", "pub", "c").is_ok());
    // A user muted in one channel may still send elsewhere.
    d.change_list(s, "g", "pub", UgListKind::Muted, &users(&["c"]), true)
        .await
        .unwrap();
    assert_eq!(d.check_send("g", "pub", "c"), muted);
    assert!(d.check_send("g", "", "c").is_ok());
    // Muted in the group: every channel.
    d.change_list(s, "g", "", UgListKind::Muted, &users(&["b"]), true)
        .await
        .unwrap();
    assert_eq!(d.check_send("g", "priv", "b"), muted);
    assert_eq!(d.check_send("g", "", "b"), muted);
    // Reading is not affected.
    assert!(d.access("g", "priv", "b").is_ok());
    // The whole group muted: only its allow list sends.
    d.set_muted(s, "g", "", true).await.unwrap();
    d.change_list(s, "g", "", UgListKind::Allowed, &users(&["a"]), true)
        .await
        .unwrap();
    assert!(d.check_send("g", "", "a").is_ok());
    d.change_list(s, "g", "", UgListKind::Muted, &users(&["b"]), false)
        .await
        .unwrap();
    assert_eq!(d.check_send("g", "", "b"), muted);
    let reloaded = f.reload(DirectoryLimits::default()).await;
    for dir in [&d, &reloaded] {
        assert_eq!(dir.muted("g", ""), Ok(true));
        assert_eq!(dir.muted("g", "pub"), Ok(false));
        assert_eq!(dir.list("g", "", UgListKind::Allowed).unwrap(), ["a"]);
        assert_eq!(dir.list("g", "pub", UgListKind::Muted).unwrap(), ["c"]);
        assert!(dir.list("g", "", UgListKind::Muted).unwrap().is_empty());
        assert_eq!(dir.check_send("g", "", "b"), muted);
        assert!(dir.check_send("g", "", "a").is_ok());
    }
    d.set_muted(s, "g", "", false).await.unwrap();
    assert!(d.check_send("g", "", "b").is_ok());
    assert_eq!(
        d.muted("g", "zz"),
        Err(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    );
}

#[tokio::test]
async fn presence_and_online_readers() {
    let f = Fixture::new();
    let d = sample(&f).await;
    let s = f.store();
    d.set_online("b", true);
    d.set_online("c", true);
    d.set_online("z", true);
    let mut r = d.online_readers("g", "");
    r.sort();
    assert_eq!(r, ["b", "c"]);
    assert_eq!(d.online_readers("g", "priv"), ["b"]);
    assert!(d.online_readers("g", "zz").is_empty());
    let mut off = d.push_candidates("g", "", "b", &[]);
    off.sort();
    assert_eq!(off, ["a"]);
    assert!(d.push_candidates("g", "priv", "x", &[]).is_empty());
    assert_eq!(
        d.push_candidates("g", "", "b", &users(&["a", "c", "b", "x", "a"])),
        ["a"],
        "directed: members offline, once, not the sender"
    );
    // A user online before joining is an online member at once.
    assert_eq!(d.join(s, "g", &users(&["z"]), 20).await.unwrap(), ["z"]);
    assert!(d.online_readers("g", "pub").contains(&"z".to_string()));
    d.set_online("c", false);
    assert!(!d.online_readers("g", "").contains(&"c".to_string()));
    // Leaving drops the user from the group's online set and private lists.
    assert_eq!(d.quit(s, "g", &users(&["b", "x"])).await.unwrap(), ["b"]);
    assert!(d.online_readers("g", "priv").is_empty());
    assert_eq!(d.access("g", "", "b"), Err(codes::NOT_IN_ULTRA_GROUP));
    d.join(s, "g", &users(&["b"]), 30).await.unwrap();
    assert_eq!(
        d.access("g", "priv", "b"),
        Err(codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL),
        "a member who left and came back is not listed again"
    );
    // Dismissing answers who was online.
    let mut gone = d.dismiss(s, "g").await.unwrap();
    gone.sort();
    assert_eq!(gone, ["b", "z"]);
    assert!(d.channels_of("b").is_empty());
    assert!(!d.exists("g"));
    assert!(!f.reload(DirectoryLimits::default()).await.exists("g"));
}

#[tokio::test]
async fn caps_and_channel_rules() {
    let f = Fixture::new();
    let s = f.store();
    let limits = DirectoryLimits {
        max_groups_per_user: 2,
        max_channels: 3,
    };
    let d = f.reload(limits).await;
    d.create_group(s, "g1", "", "a", 1).await.unwrap();
    d.create_group(s, "g2", "", "a", 1).await.unwrap();
    let err = d.create_group(s, "g3", "", "a", 1).await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_NUMBER_EXCEED_LIMIT);
    d.create_group(s, "g3", "", "b", 1).await.unwrap();
    let err = d.join(s, "g3", &users(&["c", "a"]), 2).await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_NUMBER_EXCEED_LIMIT);
    assert_eq!(d.is_member("g3", "c"), Ok(false), "nobody joins");
    // Creating an existing group joins the creator.
    d.create_group(s, "g3", "Other", "c", 3).await.unwrap();
    assert_eq!(d.members_of("g3"), ["b", "c"]);
    assert_eq!(d.name_of("g3"), Ok(String::new()));
    d.rename(s, "g3", "Renamed").await.unwrap();
    assert_eq!(f.reload(limits).await.name_of("g3"), Ok("Renamed".into()));
    // Channels: RCDefault counts; it can be neither deleted nor made private.
    d.create_channel(s, "g1", "c1", false, 4).await.unwrap();
    d.create_channel(s, "g1", "c2", false, 4).await.unwrap();
    let err = d.create_channel(s, "g1", "c3", false, 4).await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_CHANNELS_EXCEED_LIMIT);
    assert!(matches!(
        d.delete_channel(s, "g1", "RCDefault").await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        d.set_channel_private(s, "g1", "RCDefault", true).await,
        Err(ServiceError::Invalid(_))
    ));
    let err = d.delete_channel(s, "g1", "zz").await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST);
    d.set_online("a", true);
    assert_eq!(d.delete_channel(s, "g1", "c2").await.unwrap(), ["a"]);
    assert_eq!(
        d.set_channel_private(s, "g1", "c1", true).await.unwrap(),
        ["a"]
    );
    assert_eq!(
        d.access("g1", "c1", "a"),
        Err(codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL)
    );
    let err = d
        .change_list(
            s,
            "g1",
            "c1",
            UgListKind::Private,
            &users(&["a", "x"]),
            true,
        )
        .await
        .unwrap_err();
    assert_eq!(err.client_code(), codes::NOT_IN_ULTRA_GROUP);
    let listed = d
        .change_list(s, "g1", "c1", UgListKind::Private, &users(&["a"]), true)
        .await
        .unwrap();
    assert_eq!(listed, ["a"]);
    let reloaded = f.reload(limits).await;
    assert_eq!(
        reloaded.access("g1", "c1", "a"),
        Ok(ChannelAccess { private: true })
    );
    assert_eq!(
        reloaded.list("g1", "c1", UgListKind::Private).unwrap(),
        ["a"]
    );
    let ids: Vec<_> = reloaded
        .channels("g1")
        .unwrap()
        .into_iter()
        .map(|c| c.channel_id)
        .collect();
    assert_eq!(ids, ["RCDefault", "c1"]);
}

#[tokio::test]
async fn default_levels() {
    let f = Fixture::new();
    let d = sample(&f).await;
    let s = f.store();
    assert_eq!(d.default_levels("g", ""), Some((1, 1)));
    d.set_default_level(s, "g", "", 5).await.unwrap();
    d.set_default_level(s, "g", "pub", 0).await.unwrap();
    assert!(matches!(
        d.set_default_level(s, "g", "pub", 6).await,
        Err(ServiceError::Invalid(_))
    ));
    let err = d.set_default_level(s, "g", "zz", 0).await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST);
    let err = d.set_default_level(s, "x", "", 0).await.unwrap_err();
    assert_eq!(err.client_code(), codes::ULTRA_GROUP_NOT_EXIST);
    for dir in [&d, &f.reload(DirectoryLimits::default()).await] {
        assert_eq!(dir.default_levels("g", "pub"), Some((5, 0)));
        assert_eq!(dir.default_levels("g", "RCDefault"), Some((5, 1)));
        assert_eq!(dir.default_levels("g", "zz"), None);
        let info = dir
            .channels_of("c")
            .into_iter()
            .find(|c| c.channel_id == "pub")
            .unwrap();
        assert_eq!(
            (info.group_default_level, info.channel_default_level),
            (5, 0)
        );
    }
}
