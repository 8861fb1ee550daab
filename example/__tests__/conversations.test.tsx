import { screen, within } from '@testing-library/react-native';
import { RCIMIWConversationType } from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import { press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const PRIVATE = RCIMIWConversationType.PRIVATE;

afterEach(() => RCIMMock.reset());

async function signedInAsAlice() {
  const user = await renderApp();
  await signIn(user, 'alice');
  return user;
}

const row = (title: string) => screen.getByRole('button', { name: `Open ${title}` });

test('a received message shows in the list with its unread count', async () => {
  await signedInAsAlice();

  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    text: 'hi alice',
  });

  expect(await screen.findByText('hi alice')).toBeOnTheScreen();
  expect(within(row('bob')).getByText('1 unread')).toBeOnTheScreen();
  expect(screen.queryByText('No conversations yet')).not.toBeOnTheScreen();
});

test('opening a conversation reads it: the unread counts go', async () => {
  const user = await signedInAsAlice();
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text: 'ping' });
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text: 'pong' });
  await screen.findByText('2 unread');
  expect(await screen.findByRole('tab', { name: 'Chats 2' })).toBeOnTheScreen();

  await user.press(row('bob'));
  await screen.findByText('ping');
  await press(user, '‹ Back');

  expect(await screen.findByText('pong')).toBeOnTheScreen();
  expect(screen.queryByText('2 unread')).not.toBeOnTheScreen();
  expect(await screen.findByRole('tab', { name: 'Chats' })).toBeOnTheScreen();
});

test('pinning puts a conversation first; muting marks it', async () => {
  const user = await signedInAsAlice();
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text: 'older' });
  await screen.findByText('older');
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'carol', text: 'newer' });
  await screen.findByText('newer');
  const order = () =>
    screen.getAllByRole('button', { name: /^Open / }).map((b) => b.props.accessibilityLabel);
  expect(order()).toEqual(['Open carol', 'Open bob']);

  await press(user, 'Pin bob');
  expect(await within(row('bob')).findByText('Pinned')).toBeOnTheScreen();
  expect(order()).toEqual(['Open bob', 'Open carol']);

  await press(user, 'Mute carol');
  expect(await within(row('carol')).findByText('Muted')).toBeOnTheScreen();
  await press(user, 'Unmute carol');
  expect(await screen.findByRole('button', { name: 'Mute carol' })).toBeOnTheScreen();
  expect(within(row('carol')).queryByText('Muted')).not.toBeOnTheScreen();
});

test('text left in a chat comes back as a draft', async () => {
  const user = await signedInAsAlice();
  await type('Chat with user id', 'dave');
  await press(user, 'Chat');
  await screen.findByRole('header', { name: 'dave' });

  await type('Message', 'see you at');
  await press(user, '‹ Back');

  expect(await screen.findByText('Draft: see you at')).toBeOnTheScreen();

  await user.press(row('dave'));
  expect(await screen.findByDisplayValue('see you at')).toBeOnTheScreen();
});

test('searching messages lists the conversations that match', async () => {
  const user = await signedInAsAlice();
  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    text: 'deploy at 5',
  });
  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    text: 'deploy done',
  });
  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'carol',
    text: 'deploy?',
  });
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'dave', text: 'lunch' });
  await screen.findByText('lunch');

  await type('Search messages', 'deploy');

  expect(await screen.findByRole('button', { name: 'bob: 2 messages' })).toBeOnTheScreen();
  expect(screen.getByRole('button', { name: 'carol: 1 message' })).toBeOnTheScreen();
  expect(screen.queryByRole('button', { name: /^dave:/ })).not.toBeOnTheScreen();

  await press(user, 'bob: 2 messages');
  expect(await screen.findByRole('header', { name: 'bob' })).toBeOnTheScreen();
});
