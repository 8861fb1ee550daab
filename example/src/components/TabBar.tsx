import React from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { colors } from './theme';

/**
 * A row of tabs; the selected one is marked for assistive technologies too. A tab with a
 * badge count above 0 shows it: "Chats 3".
 */
export function TabBar<T extends string>({
  tabs,
  selected,
  onSelect,
  badges = {},
}: {
  tabs: readonly T[];
  selected: T;
  onSelect: (tab: T) => void;
  badges?: Partial<Record<T, number>>;
}) {
  return (
    <View accessibilityRole="tablist" style={styles.bar}>
      {tabs.map((tab) => (
        <Pressable
          key={tab}
          accessibilityRole="tab"
          accessibilityState={{ selected: tab === selected }}
          onPress={() => onSelect(tab)}
          style={styles.tab}
        >
          <Text style={tab === selected ? styles.selected : styles.label}>{tab}</Text>
          {badges[tab] ? <Text style={styles.badge}>{badges[tab]}</Text> : null}
        </Pressable>
      ))}
    </View>
  );
}

const styles = StyleSheet.create({
  bar: { flexDirection: 'row', borderTopWidth: 1, borderColor: colors.border },
  tab: { flex: 1, alignItems: 'center', paddingVertical: 10 },
  badge: {
    fontSize: 10,
    color: '#fff',
    backgroundColor: colors.danger,
    borderRadius: 8,
    paddingHorizontal: 5,
  },
  label: { color: colors.muted, fontSize: 12 },
  selected: { color: colors.primary, fontSize: 12, fontWeight: '700' },
});
