import React, { useState } from 'react';
import { StyleSheet, TextInput, View } from 'react-native';
import { Button } from './Button';
import { Field } from './Field';
import { colors, common } from './theme';

interface Props {
  text: string;
  onChangeText: (text: string) => void;
  onSend: (text: string) => void;
  placeholder?: string;
  /** Shows the row that sends a file from a path on the device. */
  onSendMedia?: (kind: 'image' | 'file', path: string) => void;
}

/** The message input with its Send button, and optionally a row to send an image or file. */
export function Composer({ text, onChangeText, onSend, placeholder, onSendMedia }: Props) {
  const [path, setPath] = useState('');
  const send = () => {
    const value = text.trim();
    if (!value) return;
    onChangeText('');
    onSend(value);
  };
  const sendMedia = (kind: 'image' | 'file') => {
    onSendMedia?.(kind, path.trim());
    setPath('');
  };
  return (
    <View style={styles.composer}>
      {onSendMedia ? (
        <View style={common.row}>
          <Field label="File path on this device" value={path} onChangeText={setPath} />
          <Button title="Image" disabled={!path.trim()} onPress={() => sendMedia('image')} />
          <Button title="File" disabled={!path.trim()} onPress={() => sendMedia('file')} />
        </View>
      ) : null}
      <View style={common.row}>
        <TextInput
          accessibilityLabel="Message"
          placeholder={placeholder ?? 'Message'}
          value={text}
          onChangeText={onChangeText}
          onSubmitEditing={send}
          style={styles.input}
        />
        <Button title="Send" disabled={!text.trim()} onPress={send} />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  composer: { padding: 8, gap: 8, borderTopWidth: 1, borderColor: colors.border },
  input: {
    flex: 1,
    borderWidth: 1,
    borderColor: colors.border,
    borderRadius: 6,
    paddingHorizontal: 8,
    paddingVertical: 6,
  },
});
