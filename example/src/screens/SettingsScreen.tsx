/** Settings: push notifications, quiet hours, the blacklist, and signing out. */
import React, { useState } from 'react';
import { ScrollView, Switch, Text, View } from 'react-native';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { common } from '../components/theme';
import { useAuth } from '../engine/EngineContext';
import { useBlacklist, usePushSettings, useQuietHours } from '../hooks/useSettings';

export function SettingsScreen() {
  const { userId, signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const push = usePushSettings(setError);
  const quiet = useQuietHours(setError);
  const blacklist = useBlacklist(setError);
  const [language, setLanguage] = useState(push.language);
  const [start, setStart] = useState('22:00:00');
  const [span, setSpan] = useState('480');
  const [blockId, setBlockId] = useState('');

  return (
    <ScrollView>
      {error ? <Text style={[common.error, { padding: 12 }]}>{error}</Text> : null}
      <View style={common.section}>
        <Text style={common.sectionTitle}>Push notifications</Text>
        <View style={common.row}>
          <Switch
            accessibilityLabel="Receive push notifications"
            value={push.receive}
            onValueChange={push.changeReceive}
          />
          <Text>Receive push notifications</Text>
        </View>
        <View style={common.row}>
          <Switch
            accessibilityLabel="Show message content"
            value={push.showContent}
            onValueChange={push.changeShowContent}
          />
          <Text>Show message content</Text>
        </View>
        <View style={common.row}>
          <Field label="Push language" value={language} onChangeText={setLanguage} />
          <Button title="Save" onPress={() => push.changeLanguage(language)} />
        </View>
        <Text style={common.muted}>Language: {push.language}</Text>
      </View>

      <View style={common.section}>
        <Text style={common.sectionTitle}>Quiet hours</Text>
        <Text>
          {quiet.quietHours
            ? `Quiet from ${quiet.quietHours.startTime} for ${quiet.quietHours.spanMinutes} min`
            : 'No quiet hours'}
        </Text>
        <View style={common.row}>
          <Field label="Start (HH:MM:SS)" value={start} onChangeText={setStart} />
          <Field label="Minutes" value={span} onChangeText={setSpan} keyboardType="number-pad" />
        </View>
        <View style={common.row}>
          <Button title="Set quiet hours" onPress={() => quiet.change(start, Number(span))} />
          {quiet.quietHours ? (
            <Button kind="plain" title="Remove quiet hours" onPress={quiet.remove} />
          ) : null}
        </View>
      </View>

      <View style={common.section}>
        <Text style={common.sectionTitle}>Blacklist</Text>
        {blacklist.blacklist.length === 0 ? (
          <Text style={common.muted}>Nobody is blocked</Text>
        ) : null}
        {blacklist.blacklist.map((id) => (
          <View key={id} style={common.row}>
            <Text style={{ flex: 1 }}>{id}</Text>
            <Button
              kind="plain"
              title="Unblock"
              accessibilityLabel={`Unblock ${id}`}
              onPress={() => blacklist.remove(id)}
            />
          </View>
        ))}
        <View style={common.row}>
          <Field label="User id to block" value={blockId} onChangeText={setBlockId} />
          <Button
            title="Block"
            disabled={!blockId.trim()}
            onPress={() => {
              blacklist.add(blockId.trim());
              setBlockId('');
            }}
          />
        </View>
      </View>

      <View style={common.section}>
        <Text>Signed in as {userId}</Text>
        <Button title="Sign out" onPress={signOut} />
      </View>
    </ScrollView>
  );
}
