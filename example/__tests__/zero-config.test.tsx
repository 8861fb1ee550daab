/**
 * Nothing replaces react-native-rcim here (no module mock call, no setup file): under Jest,
 * with no native module, the package picks its in-memory mock by itself, so an app's tests
 * need no configuration. This file uses
 * only the public API (`RCIMIWEngine`), never `react-native-rcim/jest` (importing that would
 * install the mock and prove nothing). With RCIM_JEST_MOCK=0 (the package's switch to turn that
 * off) sign-in fails here with the "native module isn't linked" error.
 */
import { screen, within } from '@testing-library/react-native';
import { RCIMIWConversationType, type RCIMIWEngine } from 'react-native-rcim';
import { elsewhere, otherUser, press, renderApp, sendText, signIn, type } from './helpers';

let dave: RCIMIWEngine | undefined;

afterEach(async () => {
  await dave?.destroy();
});

test('the app signs in, receives and sends with no mock configured', async () => {
  const user = await renderApp();
  await signIn(user, 'carol');
  dave = await otherUser('dave');

  await elsewhere(() => sendText(dave!, RCIMIWConversationType.PRIVATE, 'carol', 'hi carol'));
  const row = await screen.findByRole('button', { name: 'Open dave' });
  expect(within(row).getByText('hi carol')).toBeOnTheScreen();

  await user.press(row);
  expect(await screen.findByText('hi carol')).toBeOnTheScreen();
  await type('Message', 'hi dave');
  await press(user, 'Send');
  const mine = (await screen.findByText('hi dave')).parent!;
  expect(await within(mine).findByText('Sent')).toBeOnTheScreen();
});
