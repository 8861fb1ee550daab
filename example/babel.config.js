/**
 * The app's Babel config: React Native's preset, and `react-native-rcim` compiled from the
 * repository's TypeScript sources (as create-react-native-library's example apps do), so
 * edits to the library show up on reload without a build.
 */
const path = require('path');

const root = path.resolve(__dirname, '..');

module.exports = {
  presets: ['module:@react-native/babel-preset'],
  plugins: [
    [
      'module-resolver',
      {
        extensions: ['.tsx', '.ts', '.js', '.json'],
        alias: {
          '^react-native-rcim$': path.join(root, 'src', 'index'),
          '^react-native-rcim/jest$': path.join(root, 'jest', 'index'),
        },
      },
    ],
  ],
};
