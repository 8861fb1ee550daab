import { screen, waitFor, within } from '@testing-library/react-native';
import {
  RCIMIWConversationType,
  RCIMIWMentionedType,
  type RCIMIWEngine,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import { elsewhere, openTab, otherUser, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const GROUP = RCIMIWConversationType.GROUP;

let bob: RCIMIWEngine;

afterEach(async () => {
  await bob?.destroy();
  RCIMMock.reset();
});

test('group chats are listed with their @ mentions', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
  await openTab(user, 'Groups');
  expect(await screen.findByText('No group chats yet')).toBeOnTheScreen();

  await elsewhere(() => {
    RCIMMock.receiveMessage('alice', {
      conversationType: GROUP,
      targetId: 'team',
      senderUserId: 'bob',
      text: '@alice can you review?',
      mentionedInfo: { type: RCIMIWMentionedType.PART, userIdList: ['alice'] },
    } as RCIMIWMessage);
  }, RCIMMock.flush);

  const row = await screen.findByRole('button', { name: 'Open Group team' });
  expect(within(row).getByText('@alice can you review?')).toBeOnTheScreen();
  expect(within(row).getByText('@ 1')).toBeOnTheScreen();
  expect(within(row).getByText('1 unread')).toBeOnTheScreen();
});

test('in a group chat: senders are named, @mentions reach the member, receipts are counted', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
  bob = await otherUser('bob');
  const bobGot: RCIMIWMessage[] = [];
  bob.setOnMessageReceivedListener((m) => bobGot.push(m));
  await openTab(user, 'Groups');
  await type('Group id', 'team');
  await press(user, 'Open');
  await screen.findByRole('header', { name: 'Group team' });

  await type('Message', '@bob please look');
  await press(user, 'Send');
  const mine = (await screen.findByText('@bob please look')).parent!;
  await within(mine).findByText('Sent');
  await waitFor(() => expect(bobGot).toHaveLength(1));
  expect(bobGot[0].mentionedInfo).toEqual(
    expect.objectContaining({ type: RCIMIWMentionedType.PART, userIdList: ['bob'] })
  );

  await user.press(within(mine).getByRole('button', { name: 'Ask for receipts' }));
  expect(await within(mine).findByText('Read by 0')).toBeOnTheScreen();
  await elsewhere(
    () => bob.sendGroupReadReceiptResponse('team', null, [bobGot[0]]),
    RCIMMock.flush
  );
  expect(await within(mine).findByText('Read by 1')).toBeOnTheScreen();

  await elsewhere(async () => {
    const reply = await bob.createTextMessage(GROUP, 'team', null, 'on it');
    await bob.sendMessage(reply);
  }, RCIMMock.flush);
  const theirs = (await screen.findByText('on it')).parent!;
  expect(within(theirs).getByText('bob')).toBeOnTheScreen();

  // Back on the Groups tab (not the first tab): the chat is listed with its last message.
  await press(user, '‹ Back');
  const row = await screen.findByRole('button', { name: 'Open Group team' });
  expect(within(row).getByText('on it')).toBeOnTheScreen();
});

test('reading a group chat answers the read receipt requests of its messages', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
  bob = await otherUser('bob');
  const readers: string[][] = [];
  bob.setOnGroupMessageReadReceiptResponseReceivedListener((_group, _uid, respondUserIds) =>
    readers.push([...respondUserIds.keys()])
  );
  await openTab(user, 'Groups');
  await type('Group id', 'team');
  await press(user, 'Open');
  let sent: RCIMIWMessage | undefined;
  await elsewhere(async () => {
    const m = await bob.createTextMessage(GROUP, 'team', null, 'please ack');
    await bob.sendMessage(m, { onMessageSent: (_code, message) => (sent = message) });
  }, RCIMMock.flush);
  await screen.findByText('please ack');

  await elsewhere(() => bob.sendGroupReadReceiptRequest(sent!), RCIMMock.flush);

  await waitFor(() => expect(readers).toEqual([['alice']]));
});

test('a group message can go to some members only', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
  bob = await otherUser('bob');
  const carol = await otherUser('carol');
  const got: string[] = [];
  bob.setOnMessageReceivedListener(() => got.push('bob'));
  carol.setOnMessageReceivedListener(() => got.push('carol'));
  await openTab(user, 'Groups');
  await type('Group id', 'team');
  await press(user, 'Open');

  await type('Only to (user ids, comma-separated)', 'bob');
  await type('Message', 'surprise for carol');
  await press(user, 'Send');

  const mine = (await screen.findByText('surprise for carol')).parent!;
  expect(await within(mine).findByText('Sent')).toBeOnTheScreen();
  await waitFor(() => expect(got).toEqual(['bob']));
  await RCIMMock.flush();
  expect(got).toEqual(['bob']);
  await carol.destroy();
});
