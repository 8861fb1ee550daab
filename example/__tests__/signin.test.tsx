import { fireEvent, screen } from '@testing-library/react-native';
import { RCIMMock } from 'react-native-rcim/jest';
import { RCIMIWConnectionStatus } from 'react-native-rcim';
import { elsewhere, openTab, press, renderApp, signIn, type } from './helpers';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

interface NodeCrypto {
  createHash(algorithm: 'sha1'): { update(text: string): { digest(encoding: 'hex'): string } };
}

const realFetch = globalThis.fetch;

afterEach(() => {
  globalThis.fetch = realFetch;
  RCIMMock.reset();
});

test('signs in with a token and shows who is connected', async () => {
  RCIMMock.registerToken('token-of-alice', 'alice');
  const user = await renderApp();

  await signIn(user, 'token-of-alice');

  expect(screen.getByText('alice · Connected')).toBeOnTheScreen();
  expect(await screen.findByText('No conversations yet')).toBeOnTheScreen();
});

test('a rejected token keeps the sign-in screen and says why', async () => {
  RCIMMock.invalidateToken('expired-token');
  const user = await renderApp();

  await type('App key', 'test-app');
  await type('Token', 'expired-token');
  await press(user, 'Sign in');

  expect(
    await screen.findByText('Sign-in failed: connect failed with code 31004')
  ).toBeOnTheScreen();
  expect(screen.queryByRole('tab', { name: 'Chats' })).not.toBeOnTheScreen();
});

test('signing out returns to the sign-in screen', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');

  await openTab(user, 'Settings');
  await press(user, 'Sign out');

  expect(await screen.findByRole('button', { name: 'Sign in' })).toBeOnTheScreen();
  expect(RCIMMock.engines().filter((e) => e.connected)).toHaveLength(0);
});

test('development sign-in asks the server for a signed token', async () => {
  // Node's own SHA-1, to check the app's.
  const { createHash } = jest.requireActual<NodeCrypto>('crypto');
  RCIMMock.registerToken('minted-token', 'bob');
  const fetchMock = jest.fn(async (_url: string, _init: RequestInit) => ({
    status: 200,
    json: async () => ({ code: 200, userId: 'bob', token: 'minted-token' }),
  }));
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  const user = await renderApp();

  await type('App key', 'test-app');
  await type('Navigation server', 'http://10.0.2.2:8101/');
  await fireEvent(screen.getByRole('switch', { name: 'Development token' }), 'valueChange', true);
  await type('User id', 'bob');
  await type('App secret', 's3cret');
  await press(user, 'Sign in');

  expect(await screen.findByText('bob · Connected')).toBeOnTheScreen();
  const [url, init] = fetchMock.mock.calls[0];
  expect(url).toBe('http://10.0.2.2:8101/user/getToken.json');
  expect(init.body).toBe('userId=bob');
  const headers = init.headers as Record<string, string>;
  expect(headers['App-Key']).toBe('test-app');
  expect(headers.Signature).toBe(
    createHash('sha1')
      .update('s3cret' + headers.Nonce + headers.Timestamp)
      .digest('hex')
  );
});

test('the connection status shows under the title', async () => {
  const user = await renderApp();
  await signIn(user, 'alice');

  await elsewhere(
    () => RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.SUSPEND),
    RCIMMock.flush
  );
  expect(await screen.findByText('alice · Reconnecting…')).toBeOnTheScreen();

  await elsewhere(
    () => RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTED),
    RCIMMock.flush
  );
  expect(await screen.findByText('alice · Connected')).toBeOnTheScreen();

  await elsewhere(
    () =>
      RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.KICKED_OFFLINE_BY_OTHER_CLIENT),
    RCIMMock.flush
  );
  expect(await screen.findByText('alice · Signed in on another device')).toBeOnTheScreen();
});
