import React from 'react';
import { Pressable, StyleSheet, Text } from 'react-native';
import { colors } from './theme';

interface Props {
  title: string;
  onPress: () => void;
  disabled?: boolean;
  kind?: 'primary' | 'plain';
  /** Spoken name when it differs from the title (e.g. "Pin bob"). */
  accessibilityLabel?: string;
}

export function Button({ title, onPress, disabled, kind = 'primary', accessibilityLabel }: Props) {
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={accessibilityLabel ?? title}
      accessibilityState={{ disabled: !!disabled }}
      disabled={disabled}
      onPress={onPress}
      style={({ pressed }) => [
        kind === 'primary' ? styles.primary : styles.plain,
        (pressed || disabled) && styles.dim,
      ]}
    >
      <Text style={kind === 'primary' ? styles.primaryText : styles.plainText}>{title}</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  primary: {
    backgroundColor: colors.primary,
    borderRadius: 6,
    paddingHorizontal: 12,
    paddingVertical: 8,
    alignItems: 'center',
  },
  plain: { paddingHorizontal: 6, paddingVertical: 4 },
  primaryText: { color: '#fff', fontWeight: '600' },
  plainText: { color: colors.primary },
  dim: { opacity: 0.5 },
});
