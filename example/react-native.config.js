/**
 * Autolinks react-native-rcim from the repository root (the folder above), as
 * create-react-native-library's example apps do: the package is not in node_modules, and the
 * empty platform objects make the CLI (and codegen) treat it as a native dependency.
 */
const path = require('path');
const pkg = require('../package.json');

module.exports = {
  project: {
    ios: { automaticPodsInstallation: true },
  },
  dependencies: {
    [pkg.name]: {
      root: path.join(__dirname, '..'),
      platforms: { ios: {}, android: {} },
    },
  },
};
