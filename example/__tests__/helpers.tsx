/**
 * Test helpers: render the whole app and drive it as a user would (type, press, read).
 * Text goes in with `fireEvent.changeText` (one event per field, fast on busy machines);
 * presses go through `userEvent`.
 */
import { act, fireEvent, render, screen, userEvent } from '@testing-library/react-native';
import React from 'react';
import { RCIMIWEngine } from 'react-native-rcim';
import App from '../src/App';

export const APP_KEY = 'test-app';

export type User = ReturnType<typeof userEvent.setup>;

export async function renderApp(): Promise<User> {
  const user = userEvent.setup();
  await render(<App />);
  return user;
}

export async function type(label: string, text: string): Promise<void> {
  await fireEvent.changeText(screen.getByLabelText(label), text);
}

export async function press(user: User, name: string | RegExp): Promise<void> {
  await user.press(screen.getByRole('button', { name }));
}

/** Fills the sign-in form with a token and signs in; resolves once the tabs show. */
export async function signIn(user: User, token: string): Promise<void> {
  await type('App key', APP_KEY);
  await type('Token', token);
  await press(user, 'Sign in');
  await screen.findByRole('tab', { name: 'Settings' });
}

export async function openTab(user: User, name: string): Promise<void> {
  await user.press(screen.getByRole('tab', { name }));
}

/**
 * Another user on another device: a standalone engine connected with `token` (with the mock,
 * an unregistered token signs in as the user of that name).
 */
export async function otherUser(token: string): Promise<RCIMIWEngine> {
  const engine = RCIMIWEngine.createStandalone(APP_KEY, {});
  await new Promise<void>((resolve, reject) => {
    engine.connect(token, 0, {
      onConnected: (code) => (code === 0 ? resolve() : reject(new Error(`connect ${code}`))),
    });
  });
  return engine;
}

/** Sends a text message from `engine`; resolves once the server took it. */
export async function sendText(
  engine: RCIMIWEngine,
  type: number,
  targetId: string,
  text: string,
  channelId: string | null = null
): Promise<void> {
  const message = await engine.createTextMessage(type, targetId, channelId, text);
  await new Promise<void>((resolve, reject) => {
    engine.sendMessage(message, {
      onMessageSent: (code) => (code === 0 ? resolve() : reject(new Error(`send ${code}`))),
    });
  });
}

/**
 * Runs what another user or the server does (events reach the app outside any user input)
 * inside `act`, and lets its events arrive (`settle`: e.g. `RCIMMock.flush`) before returning.
 */
export async function elsewhere(
  action: () => unknown,
  settle: () => Promise<unknown> = () => new Promise<void>((resolve) => setTimeout(resolve, 20))
): Promise<void> {
  await act(async () => {
    await action();
    await settle();
  });
}
