/** Jest runs the TypeScript layer against a mocked native bridge (see __tests__/). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/lib/', '<rootDir>/example/node_modules'],
  moduleNameMapper: {
    '^react-native-rcim$': '<rootDir>/src/index.ts',
    '^react-native-rcim/jest$': '<rootDir>/jest/index.js',
    '^react-native-rcim/jest/mock$': '<rootDir>/jest/mock/index.js',
    // The shipped mock loads the CommonJS build; inside this repository use the sources.
    '^\\.\\./lib/commonjs/index\\.js$': '<rootDir>/src/index.ts',
  },
};
