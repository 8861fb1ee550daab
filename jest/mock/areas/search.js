'use strict';
/** Local search: text messages by substring, or one sender's messages; newest first. */
const { Args, Code, ConversationType } = require('../constants');
const { pick } = require('../core');

module.exports = function searchMethods({ emit, engineStore, messagesOf }) {
  return {
    searchMessages: {
      args: { ...Args.conversation, keyword: 'string', startTime: 'number', count: 'count50' },
      run(e, a, id) {
        if (a.keyword === '' || a.type === ConversationType.CHATROOM) return Code.PARAM_ERROR;
        const needle = a.keyword.toLowerCase();
        const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter(
            (m) =>
              typeof m.text === 'string' &&
              m.text.toLowerCase().includes(needle) &&
              (a.startTime <= 0 || m.sentTime < a.startTime)
          )
          .sort((x, y) => y.sentTime - x.sentTime)
          .slice(0, a.count);
        emit(
          e,
          'onMessagesSearched',
          { code: 0, ...pick(a, 'type targetId channelId keyword startTime count'), messages },
          id
        );
        return 0;
      },
    },
    searchMessagesByUserId: {
      args: { userId: 'string', ...Args.conversation, startTime: 'number', count: 'count50' },
      run(e, a, id) {
        if (a.userId === '' || a.targetId === '') return Code.PARAM_ERROR;
        const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter(
            (m) => m.senderUserId === a.userId && (a.startTime <= 0 || m.sentTime < a.startTime)
          )
          .sort((x, y) => y.sentTime - x.sentTime)
          .slice(0, a.count);
        emit(
          e,
          'onMessagesSearchedByUserId',
          { code: 0, ...pick(a, 'userId type targetId channelId startTime count'), messages },
          id
        );
        return 0;
      },
    },
  };
};
