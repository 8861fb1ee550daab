'use strict';
/**
 * Per-user settings: do-not-disturb levels by conversation type, the daily quiet hours, the
 * blacklist and the push settings (language, content shown, receive while a desktop is
 * online; `RCIMMock.pushSettingsOf(userId)`), kept per user (shared by all of the user's engines, as the server keeps
 * them). Changes are queued while offline. A blacklisted user's private sends fail with 405
 * (see messages.js).
 */
const { Code, ConversationType, PushNotificationLevel } = require('../constants');
const { loadAndGet } = require('../core');

/** RCIMIWBlacklistStatus. */
const BlacklistStatus = { IN_BLACKLIST: 1, NOT_IN_BLACKLIST: 2 };

/** "HH:MM:SS" on a 24-hour clock. */
const startTimeOk = (t) => {
  const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(t);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60;
};

/** A push language id: "" (the App's default) or at most 16 of [A-Za-z0-9_-]. */
const pushLanguageOk = (language) => /^[A-Za-z0-9_-]{0,16}$/.test(language);

/** Types that take a per-type level: all but chatroom. */
const typeLevelOk = (type) =>
  [
    ConversationType.PRIVATE,
    ConversationType.GROUP,
    ConversationType.SYSTEM,
    ConversationType.ULTRA_GROUP,
  ].includes(type);

const levelOk = (level) => Number.isInteger(level) && level >= 0 && level <= 5;

module.exports = function userSettingMethods(core) {
  const { emit, engineStore } = core;

  /** The user's settings, created on first use. */
  function settings(e) {
    const st = engineStore(e);
    if (!st.settings) {
      st.settings = {
        typeLevels: new Map(),
        quietHours: null,
        blacklist: [],
        push: { language: '', showContent: true, receive: false },
      };
    }
    return st.settings;
  }

  function quietHoursArgs(q) {
    return q
      ? { startTime: q.startTime, spanMinutes: q.spanMinutes, level: q.level }
      : { startTime: '', spanMinutes: 0, level: 0 };
  }

  return {
    changeConversationTypeNotificationLevel: {
      args: { type: 'number', level: 'number' },
      queued: true,
      check: (e, a) => (typeLevelOk(a.type) && levelOk(a.level) ? 0 : Code.PARAM_ERROR),
      run(e, a, id) {
        // NONE (not set) removes the type's level.
        if (a.level === PushNotificationLevel.NONE) settings(e).typeLevels.delete(a.type);
        else settings(e).typeLevels.set(a.type, a.level);
        emit(
          e,
          'onConversationTypeNotificationLevelChanged',
          { code: 0, type: a.type, level: a.level },
          id
        );
      },
    },
    ...loadAndGet('ConversationTypeNotificationLevel', {
      args: { type: 'number' },
      run(e, a, id) {
        if (!typeLevelOk(a.type)) return Code.PARAM_ERROR;
        const level = settings(e).typeLevels.get(a.type) ?? PushNotificationLevel.NONE;
        emit(e, 'onConversationTypeNotificationLevelLoaded', { code: 0, type: a.type, level }, id);
        return 0;
      },
    }),
    changeNotificationQuietHours: {
      args: { startTime: 'string', spanMinutes: 'number', level: 'number' },
      queued: true,
      check: (e, a) =>
        startTimeOk(a.startTime) &&
        Number.isInteger(a.spanMinutes) &&
        a.spanMinutes > 0 &&
        a.spanMinutes < 1440 &&
        Number.isInteger(a.level) &&
        a.level >= 0 &&
        a.level <= 2
          ? 0
          : Code.PARAM_ERROR,
      run(e, a, id) {
        const q = { startTime: a.startTime, spanMinutes: a.spanMinutes, level: a.level };
        settings(e).quietHours = q;
        emit(e, 'onNotificationQuietHoursChanged', { code: 0, ...quietHoursArgs(q) }, id);
      },
    },
    removeNotificationQuietHours: {
      args: {},
      queued: true,
      run(e, a, id) {
        settings(e).quietHours = null;
        emit(e, 'onNotificationQuietHoursRemoved', { code: 0 }, id);
      },
    },
    ...loadAndGet('NotificationQuietHours', {
      args: {},
      run(e, a, id) {
        const args = quietHoursArgs(settings(e).quietHours);
        emit(e, 'onNotificationQuietHoursLoaded', { code: 0, ...args }, id);
        return 0;
      },
    }),
    addToBlacklist: {
      args: { userId: 'string' },
      queued: true,
      check: (e, a) => (a.userId === '' || a.userId === e.userId ? Code.PARAM_ERROR : 0),
      run(e, a, id) {
        const list = settings(e).blacklist;
        if (!list.includes(a.userId)) list.push(a.userId);
        emit(e, 'onBlacklistAdded', { code: 0, userId: a.userId }, id);
      },
    },
    removeFromBlacklist: {
      args: { userId: 'string' },
      queued: true,
      check: (e, a) => (a.userId === '' ? Code.PARAM_ERROR : 0),
      run(e, a, id) {
        const s = settings(e);
        s.blacklist = s.blacklist.filter((u) => u !== a.userId);
        emit(e, 'onBlacklistRemoved', { code: 0, userId: a.userId }, id);
      },
    },
    ...loadAndGet('BlacklistStatus', {
      args: { userId: 'string' },
      run(e, a, id) {
        if (a.userId === '') return Code.PARAM_ERROR;
        const status = settings(e).blacklist.includes(a.userId)
          ? BlacklistStatus.IN_BLACKLIST
          : BlacklistStatus.NOT_IN_BLACKLIST;
        emit(e, 'onBlacklistStatusLoaded', { code: 0, userId: a.userId, status }, id);
        return 0;
      },
    }),
    ...loadAndGet('Blacklist', {
      args: {},
      run(e, a, id) {
        emit(e, 'onBlacklistLoaded', { code: 0, userIds: [...settings(e).blacklist] }, id);
        return 0;
      },
    }),
    changePushLanguage: {
      args: { language: 'string' },
      queued: true,
      check: (e, a) => (pushLanguageOk(a.language) ? 0 : Code.PARAM_ERROR),
      run(e, a, id) {
        settings(e).push.language = a.language;
        emit(e, 'onPushLanguageChanged', { code: 0, language: a.language }, id);
      },
    },
    changePushContentShowStatus: {
      args: { showContent: 'boolean' },
      queued: true,
      run(e, a, id) {
        settings(e).push.showContent = a.showContent;
        emit(e, 'onPushContentShowStatusChanged', { code: 0, showContent: a.showContent }, id);
      },
    },
    changePushReceiveStatus: {
      args: { receive: 'boolean' },
      queued: true,
      run(e, a, id) {
        settings(e).push.receive = a.receive;
        emit(e, 'onPushReceiveStatusChanged', { code: 0, receive: a.receive }, id);
      },
    },
  };
};
