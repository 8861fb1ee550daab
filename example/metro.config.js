/**
 * Metro for the example app: watches the repository root too (the library's sources are
 * compiled from ../src, see babel.config.js), and resolves React and React Native only from
 * this app's node_modules, never from the repository's own (which holds other versions for
 * the library's tooling).
 */
const path = require('path');
const { getDefaultConfig, mergeConfig } = require('@react-native/metro-config');

const root = path.resolve(__dirname, '..');
const appModules = path.join(__dirname, 'node_modules');
const escapeRegExp = (s) => s.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&');

// Packages that must exist once in the bundle.
const singletons = ['react', 'react-native', '@babel/runtime'];

const config = {
  projectRoot: __dirname,
  watchFolders: [root],
  resolver: {
    blockList: [new RegExp(`^${escapeRegExp(path.join(root, 'node_modules'))}[/\\\\].*$`)],
    nodeModulesPaths: [appModules],
    extraNodeModules: Object.fromEntries(
      singletons.map((name) => [name, path.join(appModules, name)])
    ),
  },
};

module.exports = mergeConfig(getDefaultConfig(__dirname), config);
