'use strict';
/**
 * Media messages: create (image, file, sight, voice, GIF: the message points at the local
 * file; the mock reads no file, so sizes and dimensions are 0), sendMediaMessage (attached →
 * sending 25, 50, 75, 100 → sent with a `remote` URL, then delivered without `local`),
 * downloadMediaMessage (downloading … 100 → downloaded with `local` set, also in the store)
 * and the two cancels. A download cancelled midway resumes where it stopped, as the engine
 * does with an HTTP Range request. `RCIMMock.holdTransfers()` pauses transfers after their
 * first progress event so that a test can cancel them.
 */
const { Args, Code, MEDIA_TYPES, MessageType, SentStatus, channelIdOk } = require('../constants');
const { clone, draftMessage } = require('../core');

/** Progress events of every transfer, in order. */
const PROGRESS = [25, 50, 75, 100];
/** Sight messages: at most 2 minutes (34002). */
const SIGHT_MAX_SECONDS = 120;

const baseName = (path) => path.split('/').pop();
const extension = (name) => (name.includes('.') ? name.split('.').pop() : '');

module.exports = function mediaMethods(core) {
  const { s, emit, engineStore, conversationOf, refreshConversation } = core;

  /**
   * Runs a transfer one progress step per microtask: `onProgress(progress)` per step, then
   * `onDone()`. Starts after `from` steps (a resumed download). Cancelling removes it.
   */
  function startTransfer(key, eventId, from, onProgress, onDone) {
    const t = { key, eventId, step: from, resume: null };
    s.transfers.set(key, t);
    const advance = () => {
      if (s.transfers.get(key) !== t) return; // cancelled
      if (s.holdTransfers && t.step > from) {
        t.resume = () => {
          t.resume = null;
          advance();
        };
        return;
      }
      t.step++;
      onProgress(PROGRESS[t.step - 1]);
      if (t.step < PROGRESS.length) {
        Promise.resolve().then(advance);
      } else {
        s.transfers.delete(key);
        onDone();
      }
    };
    Promise.resolve().then(advance);
  }

  /** A create entry for a media type: `path` plus `extra` args; `fields` of the message. */
  const mediaCreator = (messageType, extra, fields) => ({
    args: { ...Args.conversation, path: 'string', ...extra },
    run(e, a) {
      if (!channelIdOk(a.channelId)) return Code.PARAM_ERROR;
      if (a.path === '') return Code.INVALID_LOCAL_PATH;
      const name = baseName(a.path);
      const f = fields(a, name);
      if (typeof f === 'number') return f;
      return {
        code: 0,
        value: draftMessage(a, messageType, { local: a.path, remote: '', ...f }),
      };
    },
  });

  /** The stored record of a message the app passed back (the passed copy if not stored). */
  const storedOf = (e, message) =>
    (message.messageId && engineStore(e).messages.find((x) => x.messageId === message.messageId)) ||
    clone(message);

  const uploadKey = (e, m) => `${e.handle}|up|${m.messageId}`;
  const downloadKey = (e, m) => `${e.handle}|down|${m.messageId || m.remote}`;

  /** Ends the transfer under `key` with a cancel event answering both calls. */
  function cancelTransfer(e, a, id, key, event) {
    const t = s.transfers.get(key);
    const m = storedOf(e, a.message);
    if (!t) {
      // Nothing in flight: the cancel call alone gets a non-zero code.
      emit(e, event, { code: Code.PARAM_ERROR, message: m }, id);
      return 0;
    }
    s.transfers.delete(key);
    return { t, m };
  }

  return {
    createImageMessage: mediaCreator(MessageType.IMAGE, {}, () => ({
      thumbnailBase64String: '',
      original: false,
    })),
    createFileMessage: mediaCreator(MessageType.FILE, {}, (a, name) => ({
      name,
      fileType: extension(name),
      size: 0,
    })),
    createSightMessage: mediaCreator(MessageType.SIGHT, { duration: 'number' }, (a, name) =>
      a.duration > SIGHT_MAX_SECONDS
        ? Code.SIGHT_DURATION_LIMIT
        : { duration: a.duration, size: 0, name, thumbnailBase64String: '' }
    ),
    createVoiceMessage: mediaCreator(MessageType.VOICE, { duration: 'number' }, (a) => ({
      duration: a.duration,
    })),
    createGIFMessage: mediaCreator(MessageType.GIF, {}, () => ({
      dataSize: 0,
      width: 0,
      height: 0,
    })),

    sendMediaMessage: {
      args: { message: 'object' },
      queued: true,
      check(e, a) {
        if (!MEDIA_TYPES.has(a.message.messageType)) return Code.NOT_MEDIA_MESSAGE;
        if (!channelIdOk(a.message.channelId)) return Code.PARAM_ERROR;
        if (!a.message.local && !a.message.remote) return Code.INVALID_LOCAL_PATH;
        return 0;
      },
      // Stored and attached at once; uploaded and sent when online.
      prepare(e, a, id) {
        const m = core.attach(e, a.message);
        m.sentStatus = SentStatus.SENDING;
        emit(e, 'onMediaMessageAttached', { message: m }, id);
        return m;
      },
      run(e, a, id, m) {
        const progress = (p) => emit(e, 'onMediaMessageSending', { message: m, progress: p }, id);
        startTransfer(uploadKey(e, m), id, 0, progress, () => {
          const st = engineStore(e);
          const name = m.name || baseName(m.local || 'file');
          m.remote = m.remote || `https://mock.rcim/media/F${s.nextFileId++}/${name}`;
          m.sentStatus = SentStatus.SENT;
          m.messageUId = m.messageUId || `MOCK-${s.nextUId++}`;
          refreshConversation(st, conversationOf(st, m));
          emit(e, 'onMediaMessageSent', { code: 0, message: m }, id);
          core.deliver(e, { ...m, local: '' });
        });
      },
      fail(e, a, id, m, code) {
        m.sentStatus = SentStatus.FAILED;
        emit(e, 'onMediaMessageSent', { code, message: m }, id);
      },
    },
    cancelSendingMediaMessage: {
      args: { message: 'object' },
      run(e, a, id) {
        const r = cancelTransfer(
          e,
          a,
          id,
          uploadKey(e, a.message),
          'onSendingMediaMessageCanceled'
        );
        if (!r) return 0;
        r.m.sentStatus = SentStatus.CANCELED;
        emit(e, 'onSendingMediaMessageCanceled', { code: 0, message: r.m }, id, [r.t.eventId]);
        return 0;
      },
    },
    downloadMediaMessage: {
      args: { message: 'object' },
      run(e, a, id) {
        if (!MEDIA_TYPES.has(a.message.messageType)) return Code.PARAM_ERROR;
        if (!a.message.remote) return Code.INVALID_MEDIA_URL;
        const m = storedOf(e, a.message);
        const key = downloadKey(e, m);
        if (s.transfers.has(key)) return 0; // already downloading: that call reports
        const from = s.partialDownloads.get(key) || 0;
        s.partialDownloads.delete(key);
        const progress = (p) =>
          emit(e, 'onMediaMessageDownloading', { message: m, progress: p }, id);
        startTransfer(key, id, from, progress, () => {
          m.local = `mock://downloads/${m.messageUId || m.messageId}/${baseName(m.remote)}`;
          emit(e, 'onMediaMessageDownloaded', { code: 0, message: m }, id);
        });
        return 0;
      },
    },
    cancelDownloadingMediaMessage: {
      args: { message: 'object' },
      run(e, a, id) {
        const key = downloadKey(e, a.message);
        const r = cancelTransfer(e, a, id, key, 'onDownloadingMediaMessageCanceled');
        if (!r) return 0;
        s.partialDownloads.set(key, r.t.step);
        emit(e, 'onDownloadingMediaMessageCanceled', { code: 0, message: r.m }, id, [r.t.eventId]);
        return 0;
      },
    },
  };
};
