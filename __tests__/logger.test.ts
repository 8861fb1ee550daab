// The exported `logger` has the official wrapper's shape: enable, tag, log, logObject, toString.
import { logger } from '../src';

let log: jest.SpyInstance;
let warn: jest.SpyInstance;
let error: jest.SpyInstance;

beforeEach(() => {
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  logger.enable = false;
  jest.restoreAllMocks();
});

test('has the official members', () => {
  expect(logger.enable).toBe(false);
  expect(typeof logger.tag).toBe('string');
  expect(logger.tag).not.toBe('');
  for (const fn of ['log', 'logObject', 'toString'] as const) {
    expect(typeof logger[fn]).toBe('function');
  }
});

test('prints nothing while disabled, except errors', () => {
  logger.log('hidden');
  logger.logObject('hidden', { a: 1 });
  logger.warn('hidden');
  expect(log).not.toHaveBeenCalled();
  expect(warn).not.toHaveBeenCalled();
  logger.error('shown');
  expect(error).toHaveBeenCalledWith(expect.stringMatching(`^\\[${logger.tag}\\] `), 'shown');
});

test('log prints "[tag] <ISO time>" and its arguments when enabled', () => {
  logger.enable = true;
  logger.log('hello', 42);
  expect(log).toHaveBeenCalledTimes(1);
  const [prefix, ...rest] = log.mock.calls[0] as [string, ...unknown[]];
  expect(prefix).toMatch(/^\[RCIM\] \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(rest).toEqual(['hello', 42]);
});

test('logObject prints the text and the object as JSON', () => {
  logger.enable = true;
  logger.logObject('message', { text: 'hi', n: [1, 2] });
  expect(log).toHaveBeenCalledWith(expect.any(String), 'message {"text":"hi","n":[1,2]}');
});

test('toString is JSON and never throws', () => {
  expect(logger.toString({ a: 'b' })).toBe('{"a":"b"}');
  expect(logger.toString([1, null])).toBe('[1,null]');
  expect(logger.toString('x')).toBe('"x"');
  const loop: { self?: unknown } = {};
  loop.self = loop;
  expect(logger.toString(loop)).toBe('[object Object]');
  expect(logger.toString(undefined)).toBe('undefined');
  expect(logger.toString(10n)).toBe('10');
});
