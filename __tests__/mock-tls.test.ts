/**
 * The RCIM `tls` option (CAs and pins for self-hosters) is part of the options type and the
 * shipped mock accepts it: an app's tests run unchanged with it set.
 */
import { RCIMIWEngine, type RCIMIWEngineOptions } from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

afterEach(() => RCIMMock.reset());

test('an engine created with tls options connects and keeps its options', async () => {
  const options: RCIMIWEngineOptions = {
    naviServer: 'https://im.example.org',
    tls: {
      caCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
      pinnedSha256: ['AB:CD'],
    },
  };
  const engine = RCIMIWEngine.create('app-key', options);
  RCIMMock.registerToken('token-alice', 'alice');
  await expect(engine.connect('token-alice', 0)).resolves.toBe(0);
  await RCIMMock.flush();
  const [live] = RCIMMock.engines();
  expect(live.userId).toBe('alice');
  expect(live.options).toEqual(options);
});
