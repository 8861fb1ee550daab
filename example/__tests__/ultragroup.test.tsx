import { screen, within } from '@testing-library/react-native';
import { RCIMIWConversationType, type RCIMIWMessage } from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import { elsewhere, openTab, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const ULTRA_GROUP = RCIMIWConversationType.ULTRA_GROUP;

afterEach(() => RCIMMock.reset());

test('an ultra group lists its channels with unread counts; a channel opens as a chat', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
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

  const channel = await screen.findByRole('button', { name: 'Open #news' });
  expect(within(channel).getByText('1 unread')).toBeOnTheScreen();
  expect(screen.getByText('1 unread in all channels')).toBeOnTheScreen();

  await user.press(channel);
  expect(await screen.findByRole('header', { name: 'guild #news' })).toBeOnTheScreen();
  expect(await screen.findByText('patch notes are out')).toBeOnTheScreen();

  await type('Message', 'thanks!');
  await press(user, 'Send');
  const mine = (await screen.findByText('thanks!')).parent!;
  expect(await within(mine).findByText('Sent')).toBeOnTheScreen();
});
