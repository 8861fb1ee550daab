/**
 * Sign-in: the app key and navigation server of an RCIM server, then either a token (minted
 * by your backend or `rcim-server token --user ID`), or — for development — a user id and
 * the app secret, with which the app asks the server's `/user/getToken.json` itself.
 */
import React, { useState } from 'react';
import { Platform, ScrollView, StyleSheet, Switch, Text, View } from 'react-native';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { common } from '../components/theme';
import { useAuth } from '../engine/EngineContext';
import { fetchDevToken } from '../engine/devToken';

// The host machine as seen from the Android emulator / the iOS simulator.
const DEFAULT_NAVI = Platform.OS === 'android' ? 'http://10.0.2.2:8101' : 'http://127.0.0.1:8101';

export function SignInScreen() {
  const { signIn } = useAuth();
  const [appKey, setAppKey] = useState('');
  const [naviServer, setNaviServer] = useState(DEFAULT_NAVI);
  const [token, setToken] = useState('');
  const [devMode, setDevMode] = useState(false);
  const [userId, setUserId] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ready = appKey !== '' && naviServer !== '' && (devMode ? userId && appSecret : token);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const t = devMode
        ? await fetchDevToken({ naviServer, appKey, appSecret, userId })
        : token.trim();
      await signIn({ appKey, naviServer, token: t });
    } catch (e) {
      setError(`Sign-in failed: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  return (
    <ScrollView contentContainerStyle={styles.form} keyboardShouldPersistTaps="handled">
      <Text accessibilityRole="header" style={styles.title}>
        RCIM example
      </Text>
      <Field label="App key" value={appKey} onChangeText={setAppKey} />
      <Field label="Navigation server" value={naviServer} onChangeText={setNaviServer} />
      <View style={common.row}>
        <Switch accessibilityLabel="Development token" value={devMode} onValueChange={setDevMode} />
        <Text>Get a development token from the server</Text>
      </View>
      {devMode ? (
        <>
          <Field label="User id" value={userId} onChangeText={setUserId} />
          <Field label="App secret" value={appSecret} onChangeText={setAppSecret} secureTextEntry />
        </>
      ) : (
        <Field label="Token" value={token} onChangeText={setToken} />
      )}
      <Button title={busy ? 'Signing in…' : 'Sign in'} onPress={submit} disabled={!ready || busy} />
      {error ? <Text style={common.error}>{error}</Text> : null}
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  form: { padding: 16, gap: 12 },
  title: { fontSize: 22, fontWeight: '700' },
});
