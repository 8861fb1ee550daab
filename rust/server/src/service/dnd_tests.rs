//! The DND table: every level of every layer, private and group-like conversations, every
//! kind of mention, quiet-hours windows, and the precedence between the layers.

use super::*;
use rcim_proto::conversation_type::{GROUP, PRIVATE, SYSTEM, ULTRA_GROUP};

/// A UTC midnight (2023-11-15 00:00:00).
const MIDNIGHT_MS: i64 = 1_700_006_400_000;

/// `MIDNIGHT_MS` plus "HH:MM:SS" (UTC).
fn at(hms: &str) -> i64 {
    MIDNIGHT_MS + i64::from(parse_start_time(hms).unwrap()) * 1000
}

fn quiet(start: &str, span: u32, level: u32, offset: i32) -> QuietHours {
    QuietHours {
        start_time: start.into(),
        span_minutes: span,
        level,
        utc_offset_minutes: offset,
    }
}

/// Mentions: none, me, everyone, both.
const MENTIONS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

/// Outcomes in the order of [`MENTIONS`].
type Row = [bool; 4];
const ALL: Row = [true; 4];
const NONE: Row = [false; 4];
const ME_OR_ALL: Row = [false, true, true, true];
const ME: Row = [false, true, false, true];
const EVERYONE: Row = [false, false, true, true];

fn input(ctype: u32) -> DndInput<'static> {
    DndInput {
        quiet_hours: None,
        now_ms: at("12:00:00"),
        type_level: None,
        conversation_level: None,
        default_levels: None,
        app_level: AppLevel::Unset,
        conversation_type: ctype,
        mentions_me: false,
        mentions_all: false,
    }
}

fn row(base: DndInput<'_>) -> Row {
    MENTIONS.map(|(me, all)| {
        push_allowed(&DndInput {
            mentions_me: me,
            mentions_all: all,
            ..base
        })
    })
}

/// Each `RCIMIWPushNotificationLevel`, set on the conversation or on its type (nothing else
/// set): group-like conversations honour mentions, private and system ones have none.
#[test]
fn levels_of_a_conversation_and_of_a_type() {
    // (level, group-like outcome, private outcome)
    let table: [(u32, Row, Row); 6] = [
        (0, ALL, ALL),        // ALL_MESSAGE
        (1, ALL, ALL),        // NONE: not set, the App default (unset) pushes
        (2, ME_OR_ALL, NONE), // MENTION
        (3, ME, NONE),        // MENTION_USERS
        (4, EVERYONE, NONE),  // MENTION_ALL
        (5, NONE, NONE),      // BLOCKED
    ];
    for (level, group_like, private) in table {
        for (ctype, expected) in [
            (GROUP, group_like),
            (ULTRA_GROUP, group_like),
            (PRIVATE, private),
            (SYSTEM, private),
        ] {
            let by_conversation = DndInput {
                conversation_level: Some(level),
                ..input(ctype)
            };
            let by_type = DndInput {
                type_level: Some(level),
                ..input(ctype)
            };
            assert_eq!(
                row(by_conversation),
                expected,
                "conversation level {level}, type {ctype}"
            );
            assert_eq!(row(by_type), expected, "type level {level}, type {ctype}");
        }
    }
}

/// The App defaults (R163), with no user setting.
#[test]
fn app_levels() {
    let table: [(AppLevel, Row, Row); 7] = [
        (AppLevel::AllMessages, ALL, ALL),
        (AppLevel::Unset, ALL, ALL),
        (AppLevel::Mentions, ME_OR_ALL, NONE),
        (AppLevel::MentionUsers, ME, NONE),
        (AppLevel::MentionAll, EVERYONE, NONE),
        (AppLevel::Blocked, NONE, NONE),
        // "No group push except @": private messages still push.
        (AppLevel::GroupMentionsOnly, ME_OR_ALL, ALL),
    ];
    for (app_level, group, private) in table {
        let i = |ctype| DndInput {
            app_level,
            ..input(ctype)
        };
        assert_eq!(row(i(GROUP)), group, "{app_level:?} group");
        assert_eq!(row(i(PRIVATE)), private, "{app_level:?} private");
    }
}

/// Quiet-hours levels inside and outside the window, over conversations whose own level
/// would push everything and over ones that would push nothing.
#[test]
fn quiet_hours_levels() {
    // (level, inside: group, inside: private)
    let table: [(u32, Row, Row); 3] = [
        (0, ALL, ALL),        // NONE: passes on (here to ALL_MESSAGE)
        (1, ME_OR_ALL, NONE), // MENTION_MESSAGE: a private chat gets nothing (R174)
        (2, NONE, NONE),      // BLOCKED
    ];
    for (level, group, private) in table {
        let q = quiet("22:00:00", 480, level, 0);
        for (now, inside) in [(at("23:00:00"), true), (at("12:00:00"), false)] {
            let i = |ctype| DndInput {
                quiet_hours: Some(&q),
                now_ms: now,
                conversation_level: Some(0),
                ..input(ctype)
            };
            let (g, p) = if inside { (group, private) } else { (ALL, ALL) };
            assert_eq!(row(i(GROUP)), g, "level {level}, inside {inside}, group");
            assert_eq!(
                row(i(PRIVATE)),
                p,
                "level {level}, inside {inside}, private"
            );
        }
    }
    // Over a blocked conversation: the window's own rule decides while it is open.
    let q = quiet("22:00:00", 480, 1, 0);
    let i = DndInput {
        quiet_hours: Some(&q),
        now_ms: at("23:00:00"),
        conversation_level: Some(5),
        ..input(GROUP)
    };
    assert_eq!(row(i), ME_OR_ALL);
    let q = quiet("22:00:00", 480, 0, 0);
    assert_eq!(
        row(DndInput {
            quiet_hours: Some(&q),
            ..i
        }),
        NONE
    );
}

/// Window edges, windows crossing midnight, time zones, and the all-day window.
#[test]
fn quiet_hours_windows() {
    // (start, span, utc offset, UTC time, inside)
    let table = [
        // 22:00 to 06:00, UTC.
        ("22:00:00", 480, 0, "21:59:59", false),
        ("22:00:00", 480, 0, "22:00:00", true),
        ("22:00:00", 480, 0, "23:59:59", true),
        ("22:00:00", 480, 0, "00:00:00", true),
        ("22:00:00", 480, 0, "05:59:59", true),
        ("22:00:00", 480, 0, "06:00:00", false),
        ("22:00:00", 480, 0, "12:00:00", false),
        // One minute.
        ("12:00:00", 1, 0, "12:00:59", true),
        ("12:00:00", 1, 0, "12:01:00", false),
        // Set at UTC+8: 22:00 local is 14:00 UTC.
        ("22:00:00", 60, 480, "14:30:00", true),
        ("22:00:00", 60, 480, "22:30:00", false),
        // Set at UTC-5: 01:00 local is 06:00 UTC, so the window crosses midnight in UTC.
        ("23:30:00", 60, -300, "04:45:00", true),
        ("23:30:00", 60, -300, "05:15:00", true),
        ("23:30:00", 60, -300, "05:31:00", false),
        ("01:00:00", 120, -300, "06:30:00", true),
        ("01:00:00", 120, -300, "01:30:00", false),
        // 00:00:00 + 1439 minutes: all day, the last minute too (R171).
        ("00:00:00", 1439, 0, "00:00:00", true),
        ("00:00:00", 1439, 0, "12:00:00", true),
        ("00:00:00", 1439, 0, "23:59:30", true),
        ("00:00:00", 1439, 480, "23:59:30", true),
        // Seconds count.
        ("08:00:30", 1, 0, "08:00:29", false),
        ("08:00:30", 1, 0, "08:01:29", true),
        ("08:00:30", 1, 0, "08:01:30", false),
    ];
    for (start, span, offset, now, inside) in table {
        let q = quiet(start, span, 2, offset);
        assert_eq!(
            in_window(&q, at(now)),
            inside,
            "{start} + {span} min at UTC{offset:+} min, {now} UTC"
        );
        // And as the decision sees it: BLOCKED inside, the default outside.
        let i = DndInput {
            quiet_hours: Some(&q),
            now_ms: at(now),
            ..input(GROUP)
        };
        assert_eq!(push_allowed(&i), !inside);
    }
    assert!(!in_window(&quiet("bad", 60, 2, 0), at("12:00:00")));
}

/// Quiet hours > conversation > type > App; a layer that is not set passes on.
#[test]
fn precedence_between_layers() {
    let blocked_q = quiet("00:00:00", 1439, 2, 0);
    let none_q = quiet("00:00:00", 1439, 0, 0);
    let closed_q = quiet("01:00:00", 60, 2, 0); // not open at noon
                                                // (quiet hours, conversation, type, App, group row)
    type Layers<'a> = (
        Option<&'a QuietHours>,
        Option<u32>,
        Option<u32>,
        AppLevel,
        Row,
    );
    let table: [Layers<'_>; 14] = [
        (None, Some(0), Some(5), AppLevel::Blocked, ALL),
        (None, Some(5), Some(0), AppLevel::AllMessages, NONE),
        (None, Some(3), Some(4), AppLevel::Unset, ME),
        (None, Some(1), Some(5), AppLevel::Unset, NONE),
        (None, None, Some(5), AppLevel::Unset, NONE),
        (None, None, Some(2), AppLevel::Blocked, ME_OR_ALL),
        (None, Some(1), Some(1), AppLevel::Blocked, NONE),
        (None, None, None, AppLevel::MentionAll, EVERYONE),
        (None, None, Some(0), AppLevel::Blocked, ALL),
        (
            Some(&blocked_q),
            Some(0),
            Some(0),
            AppLevel::AllMessages,
            NONE,
        ),
        (Some(&none_q), Some(5), Some(0), AppLevel::AllMessages, NONE),
        (Some(&none_q), None, Some(4), AppLevel::Unset, EVERYONE),
        (Some(&none_q), None, None, AppLevel::Mentions, ME_OR_ALL),
        (Some(&closed_q), Some(0), Some(5), AppLevel::Blocked, ALL),
    ];
    for (n, (quiet_hours, conversation_level, type_level, app_level, expected)) in
        table.into_iter().enumerate()
    {
        let i = DndInput {
            quiet_hours,
            conversation_level,
            type_level,
            app_level,
            ..input(GROUP)
        };
        assert_eq!(row(i), expected, "row {n}");
    }
}

/// Ultra groups (R236–R244): the user's own levels first, then the channel's default, then
/// the group's; both defaults unset = every message (R238).
#[test]
fn ultra_group_default_levels_come_after_the_users_own() {
    let with = |conversation_level, type_level, defaults| DndInput {
        conversation_level,
        type_level,
        default_levels: Some(defaults),
        ..input(ULTRA_GROUP)
    };
    let table = [
        // (user's channel level, user's type level, (channel default, group default))
        (None, None, (1, 1), ALL),
        (None, None, (1, 5), NONE),
        (None, None, (0, 5), ALL),
        (None, None, (2, 5), ME_OR_ALL),
        (None, None, (1, 3), ME),
        (Some(0), None, (5, 5), ALL),
        (None, Some(0), (5, 5), ALL),
        (Some(5), None, (0, 0), NONE),
        (Some(1), Some(4), (0, 0), EVERYONE),
    ];
    for (n, (conversation, type_level, defaults, expected)) in table.into_iter().enumerate() {
        assert_eq!(
            row(with(conversation, type_level, defaults)),
            expected,
            "row {n}"
        );
    }
    // Quiet hours still come first.
    let q = quiet("00:00:00", 1439, 2, 0);
    let i = DndInput {
        quiet_hours: Some(&q),
        ..with(Some(0), None, (0, 0))
    };
    assert_eq!(row(i), NONE);
}
