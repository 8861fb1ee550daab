/**
 * A private, group or ultra-group channel chat: history and live messages, text with
 * @mentions, images and files with progress, downloads, recall, read receipts, typing and
 * reactions. The unsent text is kept as the conversation's draft.
 */
import React, { useMemo, useState } from 'react';
import { FlatList, KeyboardAvoidingView, Platform, Text, View } from 'react-native';
import {
  RCIMIWConversationType,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { Button } from '../components/Button';
import { Composer } from '../components/Composer';
import { Field } from '../components/Field';
import { MessageBubble } from '../components/MessageBubble';
import { ScreenHeader } from '../components/ScreenHeader';
import { common } from '../components/theme';
import { messageKey } from '../format';
import type { ConversationRef } from '../hooks/conversationKey';
import { useChatActions } from '../hooks/useChatActions';
import { useDraft } from '../hooks/useDraft';
import { useMessages } from '../hooks/useMessages';
import { useTyping } from '../hooks/useTyping';

const recipients = (list: string) =>
  list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);

interface Props {
  type: RCIMIWConversationType;
  targetId: string;
  channelId: string | null;
  title: string;
}

export function ChatScreen({ type, targetId, channelId, title }: Props) {
  const conversation: ConversationRef = useMemo(
    () => ({ type, targetId, channelId }),
    [type, targetId, channelId]
  );
  const { messages, error, upsert, hasEarlier, loadEarlier } = useMessages(conversation);
  const actions = useChatActions(conversation, upsert);
  const { typingUsers, notifyTyping } = useTyping(conversation);
  const [text, setText] = useDraft(conversation);
  const [onlyTo, setOnlyTo] = useState('');

  const newestFirst = useMemo(() => [...messages].reverse(), [messages]);
  const isGroup = type === RCIMIWConversationType.GROUP;
  const canReact = type === RCIMIWConversationType.PRIVATE || isGroup;
  const typing = typingUsers.length > 0 ? `${typingUsers.join(', ')} is typing…` : undefined;

  const renderItem = ({ item }: { item: RCIMIWMessage }) => {
    const media = item as RCIMIWMediaMessage;
    return (
      <MessageBubble
        message={item}
        progress={actions.progress[messageKey(item)]}
        onRecall={() => actions.recall(item)}
        onReact={canReact ? (emoji) => actions.react(item, emoji) : undefined}
        onDownload={() => actions.download(media)}
        onCancel={() => actions.cancelTransfer(media)}
        onRequestReceipts={isGroup ? () => actions.requestReceipts(item) : undefined}
      />
    );
  };

  return (
    <KeyboardAvoidingView
      style={{ flex: 1 }}
      behavior={Platform.OS === 'ios' ? 'padding' : undefined}
    >
      <ScreenHeader title={title} subtitle={typing} />
      {error || actions.error ? (
        <Text style={[common.error, { padding: 8 }]}>{error ?? actions.error}</Text>
      ) : null}
      {/* Inverted, newest first: the chat opens at its latest message, like any chat app. */}
      <FlatList
        accessibilityLabel="Messages"
        inverted
        data={newestFirst}
        keyExtractor={messageKey}
        renderItem={renderItem}
        ListFooterComponent={
          hasEarlier ? <Button kind="plain" title="Load earlier" onPress={loadEarlier} /> : null
        }
      />
      <View>
        {isGroup ? (
          <View style={common.section}>
            <Field
              label="Only to (user ids, comma-separated)"
              value={onlyTo}
              onChangeText={setOnlyTo}
            />
          </View>
        ) : null}
        <Composer
          text={text}
          onChangeText={(value) => {
            setText(value);
            if (value) notifyTyping();
          }}
          onSend={(value) => actions.sendText(value, recipients(onlyTo))}
          placeholder={isGroup ? 'Message (@user or @all to mention)' : undefined}
          onSendMedia={actions.sendMedia}
        />
      </View>
    </KeyboardAvoidingView>
  );
}
