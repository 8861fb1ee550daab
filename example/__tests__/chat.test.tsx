import { screen, waitFor, within } from '@testing-library/react-native';
import {
  RCIMIWConversationType,
  RCIMIWMessageType,
  type RCIMIWEngine,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';
import {
  elsewhere,
  otherUser,
  press,
  renderApp,
  sendText,
  signIn,
  type,
  type User,
} from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const PRIVATE = RCIMIWConversationType.PRIVATE;

let bob: RCIMIWEngine;

afterEach(async () => {
  await bob?.destroy();
  RCIMMock.reset();
});

/** Alice signed in in the app, in her chat with bob (who is signed in elsewhere). */
async function aliceChattingWithBob(): Promise<User> {
  const user = await renderApp();
  await signIn(user, 'alice');
  bob = await otherUser('bob');
  await type('Chat with user id', 'bob');
  await press(user, 'Chat');
  await screen.findByRole('header', { name: 'bob' });
  return user;
}

const bubble = (text: string) => screen.getByText(text).parent!;
const byBob = (action: () => unknown) => elsewhere(action, RCIMMock.flush);

test('a message received while the chat is open shows in it', async () => {
  await aliceChattingWithBob();

  await byBob(() => sendText(bob, PRIVATE, 'alice', 'are you there?'));

  expect(await screen.findByText('are you there?')).toBeOnTheScreen();
});

test('a received message shows in the list and then in the chat', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');

  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text: 'lunch?' });
  await screen.findByText('lunch?');
  await user.press(screen.getByRole('button', { name: 'Open bob' }));

  expect(await screen.findByRole('header', { name: 'bob' })).toBeOnTheScreen();
  expect(await screen.findByText('lunch?')).toBeOnTheScreen();
});

test('sending a message: it shows as sent, reaches bob, and turns read when he reads it', async () => {
  const user = await aliceChattingWithBob();
  const bobGot: string[] = [];
  bob.setOnMessageReceivedListener((m) => bobGot.push((m as { text?: string }).text ?? ''));

  await type('Message', 'hello bob');
  await press(user, 'Send');

  expect(await within(bubble('hello bob')).findByText('Sent')).toBeOnTheScreen();
  await waitFor(() => expect(bobGot).toEqual(['hello bob']));
  expect(screen.getByLabelText('Message')).toHaveDisplayValue('');

  await byBob(() => bob.sendPrivateReadReceiptMessage('alice', null, Date.now()));
  expect(await within(bubble('hello bob')).findByText('Read')).toBeOnTheScreen();
});

test('recalling a sent message replaces it', async () => {
  const user = await aliceChattingWithBob();
  await type('Message', 'oops');
  await press(user, 'Send');
  await within(bubble('oops')).findByText('Sent');

  await user.press(within(bubble('oops')).getByRole('button', { name: 'Recall' }));

  expect(await screen.findByText('Message recalled')).toBeOnTheScreen();
  expect(screen.queryByText('oops')).not.toBeOnTheScreen();
});

test('a message bob recalls disappears from the chat', async () => {
  await aliceChattingWithBob();
  await byBob(() => sendText(bob, PRIVATE, 'alice', 'wrong chat'));
  await screen.findByText('wrong chat');
  const [sent] = RCIMMock.messagesOf('bob').filter((m) => m.direction === 0);

  await byBob(() => bob.recallMessage(sent));

  expect(await screen.findByText('Message recalled')).toBeOnTheScreen();
  expect(screen.queryByText('wrong chat')).not.toBeOnTheScreen();
});

test('typing: bob typing shows under the title', async () => {
  await aliceChattingWithBob();

  await byBob(() => bob.sendTypingStatus(PRIVATE, 'alice', null, 'RC:TxtMsg'));

  expect(await screen.findByText('bob is typing…')).toBeOnTheScreen();
});

test('reactions: a 👍 on a message is counted, and taken back', async () => {
  const user = await aliceChattingWithBob();
  await type('Message', 'ship it?');
  await press(user, 'Send');
  await within(bubble('ship it?')).findByText('Sent');

  await user.press(within(bubble('ship it?')).getByRole('button', { name: 'React 👍' }));
  expect(await within(bubble('ship it?')).findByText('👍 1')).toBeOnTheScreen();

  await user.press(within(bubble('ship it?')).getByRole('button', { name: 'React 👍' }));
  await waitFor(() => expect(within(bubble('ship it?')).queryByText('👍 1')).not.toBeOnTheScreen());
});

test('sending an image shows the upload progress, then sent', async () => {
  const user = await aliceChattingWithBob();
  RCIMMock.holdTransfers();

  await type('File path on this device', '/sdcard/DCIM/cat.jpg');
  await press(user, 'Image');

  expect(await screen.findByText('Uploading 25%')).toBeOnTheScreen();
  RCIMMock.releaseTransfers();
  expect(await within(bubble('[Image]')).findByText('Sent')).toBeOnTheScreen();
  expect(screen.queryByText(/Uploading/)).not.toBeOnTheScreen();
});

test('downloading a received file shows progress, then where it was saved', async () => {
  const user = await aliceChattingWithBob();
  RCIMMock.holdTransfers();
  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    messageType: RCIMIWMessageType.FILE,
    name: 'report.pdf',
    remote: 'https://files.example/report.pdf',
  } as never);
  await screen.findByText('[File] report.pdf');

  await press(user, 'Download');
  expect(await screen.findByText('Downloading 25%')).toBeOnTheScreen();
  RCIMMock.releaseTransfers();

  expect(await screen.findByText(/^Saved to .*report\.pdf$/)).toBeOnTheScreen();
  expect(screen.queryByRole('button', { name: 'Download' })).not.toBeOnTheScreen();
});

test('a long history shows its latest page; earlier pages load on demand', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');
  await elsewhere(() => {
    for (let i = 1; i <= 25; i++) {
      RCIMMock.receiveMessage('alice', {
        conversationType: PRIVATE,
        targetId: 'bob',
        text: `message ${i}`,
        sentTime: 1_000_000 + i,
      } as RCIMIWMessage);
    }
  }, RCIMMock.flush);
  await user.press(await screen.findByRole('button', { name: 'Open bob' }));

  expect(await screen.findByText('message 25')).toBeOnTheScreen();
  // The list renders what would be on the screen: scroll up to the oldest loaded.
  const scrollToOldest = () =>
    user.scrollTo(screen.getByLabelText('Messages'), {
      y: 2400,
      contentSize: { width: 400, height: 3000 },
      layoutMeasurement: { width: 400, height: 600 },
    });
  await scrollToOldest();
  expect(await screen.findByText('message 6')).toBeOnTheScreen();
  expect(screen.queryByText('message 5')).not.toBeOnTheScreen();

  await press(user, 'Load earlier');
  await scrollToOldest();

  expect(await screen.findByText('message 1')).toBeOnTheScreen();
  expect(screen.queryByRole('button', { name: 'Load earlier' })).not.toBeOnTheScreen();
});
