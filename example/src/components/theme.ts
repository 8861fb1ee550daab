import { StyleSheet } from 'react-native';

export const colors = {
  primary: '#2563eb',
  text: '#111827',
  muted: '#6b7280',
  border: '#e5e7eb',
  background: '#ffffff',
  bubbleMine: '#dbeafe',
  bubbleTheirs: '#f3f4f6',
  danger: '#dc2626',
};

export const common = StyleSheet.create({
  section: { padding: 12, gap: 8, borderBottomWidth: 1, borderColor: colors.border },
  sectionTitle: { fontWeight: '600', color: colors.text },
  row: { flexDirection: 'row', alignItems: 'center', gap: 8 },
  muted: { color: colors.muted },
  error: { color: colors.danger },
});
