import React, { useState } from 'react';
import { View } from 'react-native';
import { Button } from './Button';
import { Field } from './Field';
import { common } from './theme';

/** A field and a button: "Group id" + "Open", "Room id" + "Join", … */
export function OpenById({
  label,
  action,
  onOpen,
}: {
  label: string;
  action: string;
  onOpen: (id: string) => void;
}) {
  const [id, setId] = useState('');
  return (
    <View style={[common.section, common.row]}>
      <Field label={label} value={id} onChangeText={setId} />
      <Button title={action} disabled={!id.trim()} onPress={() => onOpen(id.trim())} />
    </View>
  );
}
