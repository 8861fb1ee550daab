//! The push store (migration 10): device registrations, push settings and templates, and
//! the batched reads of the push decision.
//!
//! Writes go through the writer as [`PushWrite`] commands. Reads for many users at once pass
//! the ids as one JSON array parameter (`json_each`), so a group of thousands is a handful of
//! indexed queries whatever its size, with one prepared statement each.

use super::db::{params, Db, Dialect, Optional};
use crate::model::Rejected;
use crate::push::records::{
    AudiencePage, PushDevice, PushQuery, PushRecipient, PushTemplate, TemplateText,
    MAX_PUSH_DEVICES, MAX_TEMPLATES, TEMPLATES_FULL,
};
use crate::push::ProviderKind;
use crate::settings::LEVEL_NOT_SET;
use rcim_proto::v1::{user_setting_changed::Change, PushSettings, QuietHours};
use std::collections::HashMap;

/// Enabled devices of the users of a JSON array, by index in it.
const DEVICES_OF_USERS: &str = "\
    SELECT j.key, d.device_id, d.provider, d.token FROM json_each(?1) AS j \
    JOIN push_devices AS d ON d.user_id = j.value WHERE d.enabled = 1 \
    ORDER BY j.key, d.device_id";
/// Push settings of the users of a JSON array.
const SETTINGS_OF_USERS: &str = "\
    SELECT s.user_id, s.language, s.hide_content, s.receive_while_desktop_online \
    FROM json_each(?1) AS j JOIN push_settings AS s ON s.user_id = j.value";
/// Quiet hours of the users of a JSON array.
const QUIET_HOURS_OF_USERS: &str = "\
    SELECT q.user_id, q.start_time, q.span_minutes, q.level, q.utc_offset_minutes \
    FROM json_each(?1) AS j JOIN quiet_hours AS q ON q.user_id = j.value";
/// The level of one conversation type of the users of a JSON array.
const TYPE_LEVELS_OF_USERS: &str = "\
    SELECT t.user_id, t.level FROM json_each(?1) AS j JOIN type_levels AS t \
    ON t.user_id = j.value AND t.conversation_type = ?2";
/// Conversation settings of a JSON array of `[user, target]` in one type and channel.
const CONVERSATION_LEVELS: &str = "\
    SELECT s.user_id, s.target_id, s.level FROM json_each(?1) AS j \
    JOIN conversation_settings AS s ON s.user_id = json_extract(j.value, '$[0]') \
    AND s.conversation_type = ?2 AND s.target_id = json_extract(j.value, '$[1]') \
    AND s.channel_id = ?3";

/// The same reads on PostgreSQL, which spells "the elements of a JSON array" differently
/// (its `WITH ORDINALITY` counts from 1), and compares the array's text byte-wise like the
/// columns (`COLLATE "C"`).
const DEVICES_OF_USERS_PG: &str = "\
    SELECT j.key - 1, d.device_id, d.provider, d.token \
    FROM json_array_elements_text(CAST(?1 AS json)) WITH ORDINALITY AS j(value, key) \
    JOIN push_devices AS d ON d.user_id = j.value COLLATE \"C\" WHERE d.enabled = 1 \
    ORDER BY j.key, d.device_id";
const SETTINGS_OF_USERS_PG: &str = "\
    SELECT s.user_id, s.language, s.hide_content, s.receive_while_desktop_online \
    FROM json_array_elements_text(CAST(?1 AS json)) AS j(value) \
    JOIN push_settings AS s ON s.user_id = j.value COLLATE \"C\"";
const QUIET_HOURS_OF_USERS_PG: &str = "\
    SELECT q.user_id, q.start_time, q.span_minutes, q.level, q.utc_offset_minutes \
    FROM json_array_elements_text(CAST(?1 AS json)) AS j(value) \
    JOIN quiet_hours AS q ON q.user_id = j.value COLLATE \"C\"";
const TYPE_LEVELS_OF_USERS_PG: &str = "\
    SELECT t.user_id, t.level FROM json_array_elements_text(CAST(?1 AS json)) AS j(value) \
    JOIN type_levels AS t ON t.user_id = j.value COLLATE \"C\" AND t.conversation_type = ?2";
const CONVERSATION_LEVELS_PG: &str = "\
    SELECT s.user_id, s.target_id, s.level FROM json_array_elements(CAST(?1 AS json)) AS j(value) \
    JOIN conversation_settings AS s ON s.user_id = (j.value->>0) COLLATE \"C\" \
    AND s.conversation_type = ?2 AND s.target_id = (j.value->>1) COLLATE \"C\" \
    AND s.channel_id = ?3";

/// `sqlite` or its PostgreSQL spelling, for `c`.
fn spelled(c: &Db, sqlite: &'static str, postgres: &'static str) -> &'static str {
    match c.dialect() {
        Dialect::Sqlite => sqlite,
        Dialect::Postgres => postgres,
    }
}

/// A write of the push store, applied by the writer.
#[derive(Clone)]
pub(crate) enum PushWrite {
    /// A device connected (see `ServerStore::push_device_connected`); the registration is
    /// stored under `device_id` (the connection's), whatever `device.device_id` says.
    DeviceConnected {
        user_id: String,
        device_id: String,
        device: Option<PushDevice>,
    },
    /// Pushes to one device stopped or resumed.
    SetEnabled {
        user_id: String,
        device_id: String,
        enabled: bool,
    },
    /// A token the provider no longer knows.
    RemoveToken(PushDevice),
    /// One more push for each (user, device) that last connected before `decided_at` (ms).
    BumpBadges {
        devices: Vec<(String, String)>,
        decided_at: i64,
    },
    /// Create or replace a template.
    PutTemplate(PushTemplate),
    /// Delete a template.
    DeleteTemplate(String),
}

/// The result of a [`PushWrite`].
#[derive(Debug)]
pub(crate) enum PushWritten {
    Done,
    /// Whether a deleted template existed.
    Deleted(bool),
    /// The new badges, in the order of [`PushWrite::BumpBadges`].
    Badges(Vec<u32>),
}

/// Applies `w` (inside the writer's savepoint).
pub(crate) fn apply_push_write(c: &Db, w: PushWrite, now: i64) -> anyhow::Result<PushWritten> {
    match w {
        PushWrite::DeviceConnected {
            user_id,
            device_id,
            device,
        } => {
            if let Some(d) = device {
                // The token moves here from whichever (user, device) held it before.
                c.prepare_cached(
                    "DELETE FROM push_devices WHERE provider = ?1 AND token = ?2 \
                     AND NOT (user_id = ?3 AND device_id = ?4)",
                )?
                .execute(params![
                    d.provider.to_wire(),
                    d.token,
                    user_id,
                    device_id
                ])?;
                c.prepare_cached(
                    "INSERT INTO push_devices (user_id, device_id, provider, token, enabled, \
                     badge, updated_at) VALUES (?1, ?2, ?3, ?4, 1, 0, ?5) \
                     ON CONFLICT(user_id, device_id) DO UPDATE SET provider = excluded.provider, \
                     token = excluded.token, enabled = 1, badge = 0, \
                     updated_at = excluded.updated_at",
                )?
                .execute(params![
                    user_id,
                    device_id,
                    d.provider.to_wire(),
                    d.token,
                    now
                ])?;
                evict_devices(c, &user_id, &device_id)?;
            } else {
                c.prepare_cached(
                    "UPDATE push_devices SET enabled = 1, badge = 0, updated_at = ?3 \
                     WHERE user_id = ?1 AND device_id = ?2",
                )?
                .execute(params![user_id, device_id, now])?;
            }
            Ok(PushWritten::Done)
        }
        PushWrite::SetEnabled {
            user_id,
            device_id,
            enabled,
        } => {
            c.prepare_cached(
                // `updated_at` stays the last connect (the badge and eviction order by it).
                "UPDATE push_devices SET enabled = ?3 WHERE user_id = ?1 AND device_id = ?2",
            )?
            .execute(params![user_id, device_id, enabled])?;
            Ok(PushWritten::Done)
        }
        PushWrite::RemoveToken(d) => {
            c.prepare_cached("DELETE FROM push_devices WHERE provider = ?1 AND token = ?2")?
                .execute(params![d.provider.to_wire(), d.token])?;
            Ok(PushWritten::Done)
        }
        PushWrite::BumpBadges {
            devices,
            decided_at,
        } => {
            // A device that connected since the decision began had its badge reset after
            // the decision found it offline: this push is not one "since it connected".
            let mut stmt = c.prepare_cached(
                "UPDATE push_devices SET badge = badge + CASE WHEN updated_at < ?3 THEN 1 ELSE 0 END \
                 WHERE user_id = ?1 AND device_id = ?2 RETURNING badge",
            )?;
            let mut badges = Vec::with_capacity(devices.len());
            for (user, device) in devices {
                let badge = stmt
                    .query_row(params![user, device, decided_at], |r| r.get::<_, i64>(0))
                    .optional()?;
                // A device unregistered meanwhile has no badge (it gets no push either).
                badges.push(badge.map_or(0, |b| b.clamp(0, i64::from(u32::MAX)) as u32));
            }
            Ok(PushWritten::Badges(badges))
        }
        PushWrite::PutTemplate(t) => {
            put_template(c, t)?;
            Ok(PushWritten::Done)
        }
        PushWrite::DeleteTemplate(id) => {
            let n = c
                .prepare_cached("DELETE FROM push_templates WHERE template_id = ?1")?
                .execute([id])?;
            Ok(PushWritten::Deleted(n > 0))
        }
    }
}

/// Keeps the [`MAX_PUSH_DEVICES`] registrations of `user_id` that connected last, `kept`
/// (the one connecting now) always among them: one user cannot multiply every push to them
/// by registering many device ids.
fn evict_devices(c: &Db, user_id: &str, kept: &str) -> anyhow::Result<()> {
    c.prepare_cached(
        "DELETE FROM push_devices WHERE user_id = ?1 AND device_id NOT IN \
         (SELECT device_id FROM push_devices WHERE user_id = ?1 \
         ORDER BY device_id = ?2 DESC, updated_at DESC, device_id DESC LIMIT ?3)",
    )?
    .execute(params![user_id, kept, MAX_PUSH_DEVICES as i64])?;
    Ok(())
}

/// Replaces template `t`; [`TEMPLATES_FULL`] when it is new and [`MAX_TEMPLATES`] exist. A
/// language given twice keeps its last text.
fn put_template(c: &Db, t: PushTemplate) -> anyhow::Result<()> {
    let existed = c
        .prepare_cached("SELECT 1 FROM push_templates WHERE template_id = ?1 LIMIT 1")?
        .query_row([&t.id], |_| Ok(()))
        .optional()?
        .is_some();
    if !existed {
        let n: i64 = c
            .prepare_cached("SELECT COUNT(DISTINCT template_id) FROM push_templates")?
            .query_row([], |r| r.get(0))?;
        if n as usize >= MAX_TEMPLATES {
            return Err(Rejected::err(
                TEMPLATES_FULL,
                format!("at most {MAX_TEMPLATES} push templates"),
            ));
        }
    }
    c.prepare_cached("DELETE FROM push_templates WHERE template_id = ?1")?
        .execute([&t.id])?;
    let mut insert = c.prepare_cached(
        "INSERT INTO push_templates (template_id, language, title, content, position) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(template_id, language) DO UPDATE SET \
         title = excluded.title, content = excluded.content",
    )?;
    for (i, text) in t.texts.iter().enumerate() {
        insert.execute(params![
            t.id,
            text.language,
            text.title,
            text.content,
            i as i64
        ])?;
    }
    Ok(())
}

/// Every template, ordered by id, languages in the order they were given.
pub(crate) fn read_templates(c: &Db) -> anyhow::Result<Vec<PushTemplate>> {
    let mut stmt = c.prepare_cached(
        "SELECT template_id, language, title, content FROM push_templates \
         ORDER BY template_id, position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            TemplateText {
                language: r.get(1)?,
                title: r.get(2)?,
                content: r.get(3)?,
            },
        ))
    })?;
    let mut out: Vec<PushTemplate> = Vec::new();
    for row in rows {
        let (id, text) = row?;
        match out.last_mut() {
            Some(t) if t.id == id => t.texts.push(text),
            _ => out.push(PushTemplate {
                id,
                texts: vec![text],
            }),
        }
    }
    Ok(out)
}

/// Stores a push setting change (inside the settings savepoint). A user back at the
/// defaults has no row.
pub(crate) fn apply_push_setting(c: &Db, user: &str, change: &Change) -> anyhow::Result<()> {
    let mut s = read_push_settings(c, user)?.unwrap_or_default();
    match change {
        Change::PushLanguage(l) => s.language = l.clone(),
        Change::PushContentShow(show) => s.hide_content = !show,
        Change::PushReceive(receive) => s.receive_while_desktop_online = *receive,
        _ => anyhow::bail!("not a push setting"),
    }
    if s == PushSettings::default() {
        c.prepare_cached("DELETE FROM push_settings WHERE user_id = ?1")?
            .execute([user])?;
    } else {
        c.prepare_cached(
            "INSERT INTO push_settings (user_id, language, hide_content, \
             receive_while_desktop_online) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(user_id) DO \
             UPDATE SET language = excluded.language, hide_content = excluded.hide_content, \
             receive_while_desktop_online = excluded.receive_while_desktop_online",
        )?
        .execute(params![
            user,
            s.language,
            s.hide_content,
            s.receive_while_desktop_online
        ])?;
    }
    Ok(())
}

/// `user`'s push settings; `None` = all defaults.
pub(crate) fn read_push_settings(c: &Db, user: &str) -> anyhow::Result<Option<PushSettings>> {
    Ok(c.prepare_cached(
        "SELECT language, hide_content, receive_while_desktop_online FROM push_settings \
             WHERE user_id = ?1",
    )?
    .query_row([user], |r| {
        Ok(PushSettings {
            language: r.get(0)?,
            hide_content: r.get(1)?,
            receive_while_desktop_online: r.get(2)?,
        })
    })
    .optional()?)
}

/// A device row's registration (`None` for a provider this build does not know).
fn device_of(device_id: String, provider: i32, token: String) -> Option<PushDevice> {
    Some(PushDevice {
        device_id,
        provider: ProviderKind::from_wire(provider)?,
        token,
    })
}

/// JSON array text of `items` (the one parameter of a batched read).
fn json_list<T: serde::Serialize>(items: &[T]) -> anyhow::Result<String> {
    Ok(serde_json::to_string(items)?)
}

/// The enabled devices of the users of `users` (a JSON array), by index in that array.
fn devices_by_index(c: &Db, users: &str) -> anyhow::Result<Vec<(usize, PushDevice)>> {
    let mut stmt = c.prepare_cached(spelled(c, DEVICES_OF_USERS, DEVICES_OF_USERS_PG))?;
    let rows = stmt.query_map([users], |r| {
        Ok((
            r.get::<_, i64>(0)? as usize,
            r.get::<_, String>(1)?,
            r.get::<_, i32>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (i, device_id, provider, token) = row?;
        if let Some(d) = device_of(device_id, provider, token) {
            out.push((i, d));
        }
    }
    Ok(out)
}

/// Push settings and quiet hours of the users of `users` (a JSON array), by user id.
fn user_rows(
    c: &Db,
    users: &str,
) -> anyhow::Result<(HashMap<String, PushSettings>, HashMap<String, QuietHours>)> {
    let mut settings = HashMap::new();
    {
        let mut stmt = c.prepare_cached(spelled(c, SETTINGS_OF_USERS, SETTINGS_OF_USERS_PG))?;
        let rows = stmt.query_map([users], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PushSettings {
                    language: r.get(1)?,
                    hide_content: r.get(2)?,
                    receive_while_desktop_online: r.get(3)?,
                },
            ))
        })?;
        for row in rows {
            let (user, s) = row?;
            settings.insert(user, s);
        }
    }
    let mut quiet = HashMap::new();
    {
        let mut stmt =
            c.prepare_cached(spelled(c, QUIET_HOURS_OF_USERS, QUIET_HOURS_OF_USERS_PG))?;
        let rows = stmt.query_map([users], |r| {
            Ok((
                r.get::<_, String>(0)?,
                QuietHours {
                    start_time: r.get(1)?,
                    span_minutes: r.get(2)?,
                    level: r.get(3)?,
                    utc_offset_minutes: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (user, q) = row?;
            quiet.insert(user, q);
        }
    }
    Ok((settings, quiet))
}

/// The receivers of `q` that have an enabled device, with their settings and levels, in the
/// order of `q.receivers` (see `ServerStore::push_recipients`). Five queries in one read
/// transaction, whatever the number of receivers.
pub(crate) fn read_recipients(c: &Db, q: &PushQuery) -> anyhow::Result<Vec<PushRecipient>> {
    let tx = c.unchecked_transaction()?;
    let users: Vec<&str> = q.receivers.iter().map(|r| r.user_id.as_str()).collect();
    let mut recipients = recipients_with_devices(&tx, &users)?;
    if recipients.is_empty() {
        tx.finish()?;
        return Ok(Vec::new());
    }
    // Only the receivers that have devices from here on.
    let pairs: Vec<(&str, &str)> = recipients
        .iter()
        .map(|(i, _)| {
            let r = &q.receivers[*i];
            (r.user_id.as_str(), r.target_id.as_str())
        })
        .collect();
    let with_devices = json_list(&pairs.iter().map(|p| p.0).collect::<Vec<_>>())?;
    let type_levels: HashMap<String, u32> = {
        let mut stmt =
            tx.prepare_cached(spelled(&tx, TYPE_LEVELS_OF_USERS, TYPE_LEVELS_OF_USERS_PG))?;
        let rows = stmt.query_map(params![with_devices, q.conversation_type], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let conversation_levels: HashMap<(String, String), u32> = {
        let mut stmt =
            tx.prepare_cached(spelled(&tx, CONVERSATION_LEVELS, CONVERSATION_LEVELS_PG))?;
        let rows = stmt.query_map(
            params![json_list(&pairs)?, q.conversation_type, q.channel_id],
            |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    r.get::<_, u32>(2)?,
                ))
            },
        )?;
        rows.collect::<Result<_, _>>()?
    };
    tx.finish()?;
    for (i, r) in recipients.iter_mut() {
        let target = &q.receivers[*i].target_id;
        r.type_level = type_levels.get(&r.user_id).copied();
        r.conversation_level = conversation_levels
            .get(&(r.user_id.clone(), target.clone()))
            .copied()
            // A pinned conversation without a level has the level NONE: not set.
            .filter(|l| *l != LEVEL_NOT_SET);
    }
    Ok(recipients.into_iter().map(|(_, r)| r).collect())
}

/// The users of `users` that have an enabled device, each with its index in `users` (a user
/// listed twice comes twice), its devices, push settings and quiet hours (levels unset), in
/// order.
fn recipients_with_devices(c: &Db, users: &[&str]) -> anyhow::Result<Vec<(usize, PushRecipient)>> {
    let devices = devices_by_index(c, &json_list(users)?)?;
    if devices.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<(usize, PushRecipient)> = Vec::new();
    for (i, d) in devices {
        match out.last_mut() {
            Some((last, r)) if *last == i => r.devices.push(d),
            _ => out.push((
                i,
                PushRecipient {
                    user_id: users[i].to_owned(),
                    devices: vec![d],
                    settings: PushSettings::default(),
                    quiet_hours: None,
                    type_level: None,
                    conversation_level: None,
                },
            )),
        }
    }
    let ids: Vec<&str> = out.iter().map(|(_, r)| r.user_id.as_str()).collect();
    let (settings, quiet) = user_rows(c, &json_list(&ids)?)?;
    for (_, r) in out.iter_mut() {
        r.settings = settings.get(&r.user_id).cloned().unwrap_or_default();
        r.quiet_hours = quiet.get(&r.user_id).cloned();
    }
    Ok(out)
}

/// The enabled devices of `user_ids` with their push settings and quiet hours, in the order
/// of `user_ids` (users without devices left out).
pub(crate) fn read_devices(c: &Db, user_ids: &[String]) -> anyhow::Result<Vec<PushRecipient>> {
    let tx = c.unchecked_transaction()?;
    let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
    let out = recipients_with_devices(&tx, &users)?;
    tx.finish()?;
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// Users with an enabled device after `after_user`, at most `limit`, by user id.
pub(crate) fn read_audience(c: &Db, after_user: &str, limit: u32) -> anyhow::Result<AudiencePage> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id, device_id, provider, token FROM push_devices \
         WHERE enabled = 1 AND user_id IN (SELECT DISTINCT user_id FROM push_devices \
         WHERE enabled = 1 AND user_id > ?1 ORDER BY user_id LIMIT ?2) \
         ORDER BY user_id, device_id",
    )?;
    let rows = stmt.query_map(params![after_user, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i32>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out: AudiencePage = Vec::new();
    for row in rows {
        let (user, device_id, provider, token) = row?;
        let Some(d) = device_of(device_id, provider, token) else {
            continue;
        };
        match out.last_mut() {
            Some((u, devices)) if *u == user => devices.push(d),
            _ => out.push((user, vec![d])),
        }
    }
    Ok(out)
}

/// The name of a user (`users`) or a group (`groups`); empty when unknown.
pub(crate) fn read_name(c: &Db, group: bool, id: &str) -> anyhow::Result<String> {
    let sql = if group {
        "SELECT name FROM groups WHERE group_id = ?1"
    } else {
        "SELECT name FROM users WHERE user_id = ?1"
    };
    Ok(c.prepare_cached(sql)?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    /// Each batched read is one seek per listed user (the JSON array is the only scan), so
    /// thousands of receivers cost thousands of index seeks, not table scans.
    #[test]
    fn batched_reads_seek_per_user() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        for sql in [
            DEVICES_OF_USERS,
            SETTINGS_OF_USERS,
            QUIET_HOURS_OF_USERS,
            TYPE_LEVELS_OF_USERS,
            CONVERSATION_LEVELS,
        ] {
            let plan: Vec<String> = c
                .as_sqlite()
                .unwrap()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .and_then(|mut stmt| {
                    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
                    let rows = stmt
                        .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
                    rows.collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            let scans: Vec<&String> = plan
                .iter()
                .filter(|p| p.starts_with("SCAN") && !p.starts_with("SCAN j"))
                .collect();
            assert!(scans.is_empty(), "{sql}: {plan:?}");
            assert!(
                plan.iter().any(|p| p.starts_with("SEARCH")),
                "{sql}: {plan:?}"
            );
        }
    }
}
