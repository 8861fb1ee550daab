import React from 'react';
import { StyleSheet, Text, View } from 'react-native';
import { useNavigation } from '../navigation/Navigator';
import { Button } from './Button';
import { colors } from './theme';

/** The title bar of a screen, with a back button when there is somewhere to go back to. */
export function ScreenHeader({ title, subtitle }: { title: string; subtitle?: string }) {
  const { canGoBack, goBack } = useNavigation();
  return (
    <View style={styles.header}>
      {canGoBack ? <Button kind="plain" title="‹ Back" onPress={goBack} /> : null}
      <View style={styles.titles}>
        <Text accessibilityRole="header" style={styles.title}>
          {title}
        </Text>
        {subtitle ? <Text style={styles.subtitle}>{subtitle}</Text> : null}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  header: {
    flexDirection: 'row',
    alignItems: 'center',
    gap: 8,
    padding: 12,
    borderBottomWidth: 1,
    borderColor: colors.border,
  },
  titles: { flex: 1 },
  title: { fontSize: 18, fontWeight: '700', color: colors.text },
  subtitle: { color: colors.muted, fontSize: 12 },
});
