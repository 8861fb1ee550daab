/**
 * Jest for the example app: React Native's preset, React Native Testing Library, and
 * react-native-rcim from the repository's sources (babel.config.js aliases the imports).
 * No setup file replaces react-native-rcim: tests that drive the package's mock say
 * `jest.mock('react-native-rcim', () => require('react-native-rcim/jest'))` themselves, and
 * __tests__/zero-config.test.tsx checks that the package finds its mock on its own.
 */
module.exports = {
  preset: '@react-native/jest-preset',
  roots: ['<rootDir>/__tests__', '<rootDir>/__mocks__'],
  testMatch: ['**/*.test.ts?(x)'],
  // The machines running this are shared; rendering the whole app can take a while.
  testTimeout: 20000,
  moduleNameMapper: {
    '^react-native-rcim$': '<rootDir>/../src/index.ts',
    '^react-native-rcim/jest$': '<rootDir>/../jest/index.js',
    // What the package loads under Jest when no native module is there (zero-config).
    '^react-native-rcim/jest/mock$': '<rootDir>/../jest/mock/index.js',
    // The mock loads the package's CommonJS build; here, the sources it is built from.
    '^\\.\\./lib/commonjs/index\\.js$': '<rootDir>/../src/index.ts',
  },
};
