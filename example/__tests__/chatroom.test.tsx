import { screen, within } from '@testing-library/react-native';
import { RCIMIWConversationType, type RCIMIWEngine } from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import { elsewhere, openTab, otherUser, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

let bob: RCIMIWEngine;

afterEach(async () => {
  await bob?.destroy();
  RCIMMock.reset();
});

async function aliceInRoom(roomId: string) {
  const user = await renderApp();
  await signIn(user, 'alice');
  await openTab(user, 'Chatroom');
  await type('Room id', roomId);
  await press(user, 'Join');
  expect(await screen.findByText('Joined')).toBeOnTheScreen();
  return user;
}

test('joining a room, chatting, and its key-value entries', async () => {
  const user = await aliceInRoom('lobby');
  bob = await otherUser('bob');
  await elsewhere(() => bob.joinChatRoom('lobby', 10, false), RCIMMock.flush);

  await type('Key', 'topic');
  await type('Value', 'release day');
  await press(user, 'Set');
  expect(await screen.findByText('topic = release day')).toBeOnTheScreen();

  await elsewhere(() => bob.addChatRoomEntry('lobby', 'host', 'bob', false, true), RCIMMock.flush);
  expect(await screen.findByText('host = bob')).toBeOnTheScreen();

  await press(user, 'Remove topic');
  await screen.findByText('host = bob');
  expect(screen.queryByText('topic = release day')).not.toBeOnTheScreen();

  await elsewhere(async () => {
    const hi = await bob.createTextMessage(
      RCIMIWConversationType.CHATROOM,
      'lobby',
      null,
      'hi all'
    );
    await bob.sendMessage(hi);
  }, RCIMMock.flush);
  expect(await screen.findByText('hi all')).toBeOnTheScreen();

  await type('Message', 'hello lobby');
  await press(user, 'Send');
  const mine = (await screen.findByText('hello lobby')).parent!;
  expect(within(mine).getByText('Sent')).toBeOnTheScreen();
});

test('a room closed on the server says so', async () => {
  await aliceInRoom('pop-up');

  await elsewhere(() => RCIMMock.destroyChatRoom('pop-up'), RCIMMock.flush);

  expect(await screen.findByText('This room was closed')).toBeOnTheScreen();
  expect(screen.queryByLabelText('Message')).not.toBeOnTheScreen();
});
