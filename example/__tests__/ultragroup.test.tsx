import { screen, within } from '@testing-library/react-native';
import {
  RCIMIWConversationType,
  RCIMIWUltraGroupTypingStatus,
  type RCIMIWEngine,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import { elsewhere, openTab, otherUser, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const ULTRA_GROUP = RCIMIWConversationType.ULTRA_GROUP;

let bob: RCIMIWEngine;

afterEach(async () => {
  await bob?.destroy();
  RCIMMock.reset();
});

async function aliceInGuild() {
  const user = await renderApp();
  await signIn(user, 'alice');
  bob = await otherUser('bob');
  await elsewhere(() => {
    RCIMMock.receiveMessage('alice', {
      conversationType: ULTRA_GROUP,
      targetId: 'guild',
      channelId: 'news',
      senderUserId: 'bob',
      text: 'patch notes are out',
    } as RCIMIWMessage);
  }, RCIMMock.flush);
  await openTab(user, 'Ultra groups');
  await type('Ultra group id', 'guild');
  await press(user, 'Open');
  return user;
}

test('an ultra group lists its channels with unread counts; reading a channel clears them', async () => {
  const user = await aliceInGuild();

  const channel = await screen.findByRole('button', { name: 'Open #news' });
  expect(within(channel).getByText('1 unread')).toBeOnTheScreen();
  expect(screen.getByText('1 unread in all channels')).toBeOnTheScreen();

  await user.press(channel);
  expect(await screen.findByRole('header', { name: 'guild #news' })).toBeOnTheScreen();
  expect(await screen.findByText('patch notes are out')).toBeOnTheScreen();
  await press(user, '‹ Back');

  expect(await screen.findByText('0 unread in all channels')).toBeOnTheScreen();
  expect(
    within(screen.getByRole('button', { name: 'Open #news' })).queryByText('1 unread')
  ).not.toBeOnTheScreen();
});

test('in a channel: sending, and who is typing', async () => {
  const user = await aliceInGuild();
  await user.press(await screen.findByRole('button', { name: 'Open #news' }));
  await screen.findByText('patch notes are out');

  await type('Message', 'thanks!');
  await press(user, 'Send');
  const mine = (await screen.findByText('thanks!')).parent!;
  expect(await within(mine).findByText('Sent')).toBeOnTheScreen();

  await elsewhere(
    () => bob.sendUltraGroupTypingStatus('guild', 'news', RCIMIWUltraGroupTypingStatus.TEXT),
    RCIMMock.flush
  );
  expect(await screen.findByText('bob is typing…')).toBeOnTheScreen();
});
