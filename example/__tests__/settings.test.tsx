import { screen } from '@testing-library/react-native';
import { fireEvent } from '@testing-library/react-native';
import { RCIMMock } from 'react-native-rcim/jest';
import { openTab, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

afterEach(() => RCIMMock.reset());

async function aliceInSettings() {
  const user = await renderApp();
  await signIn(user, 'alice');
  await openTab(user, 'Settings');
  expect(await screen.findByText('No quiet hours')).toBeOnTheScreen();
  return user;
}

test('blocking and unblocking a user', async () => {
  const user = await aliceInSettings();
  expect(await screen.findByText('Nobody is blocked')).toBeOnTheScreen();

  await type('User id to block', 'spammer');
  await press(user, 'Block');
  expect(await screen.findByText('spammer')).toBeOnTheScreen();

  await press(user, 'Unblock spammer');
  expect(await screen.findByText('Nobody is blocked')).toBeOnTheScreen();
});

test('setting and removing quiet hours', async () => {
  const user = await aliceInSettings();

  await type('Start (HH:MM:SS)', '23:00:00');
  await type('Minutes', '420');
  await press(user, 'Set quiet hours');
  expect(await screen.findByText('Quiet from 23:00:00 for 420 min')).toBeOnTheScreen();

  await press(user, 'Remove quiet hours');
  expect(await screen.findByText('No quiet hours')).toBeOnTheScreen();
});

test('invalid quiet hours are refused with the engine code', async () => {
  const user = await aliceInSettings();

  await type('Start (HH:MM:SS)', '25:00');
  await press(user, 'Set quiet hours');

  expect(
    await screen.findByText(/changeNotificationQuietHours failed with code \d+/)
  ).toBeOnTheScreen();
  expect(screen.getByText('No quiet hours')).toBeOnTheScreen();
});

test('push settings: content, receiving and language reach the server', async () => {
  const user = await aliceInSettings();

  await fireEvent(
    screen.getByRole('switch', { name: 'Show message content' }),
    'valueChange',
    false
  );
  await fireEvent(
    screen.getByRole('switch', { name: 'Receive push notifications' }),
    'valueChange',
    false
  );
  await type('Push language', 'zh_CN');
  await press(user, 'Save');

  expect(await screen.findByText('Language: zh_CN')).toBeOnTheScreen();
  expect(screen.getByRole('switch', { name: 'Show message content' })).toHaveProp('value', false);
  expect(RCIMMock.pushSettingsOf('alice')).toEqual({
    language: 'zh_CN',
    showContent: false,
    receive: false,
  });
});
