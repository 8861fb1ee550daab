// react-native-safe-area-context measures the screen natively; under Jest it uses its own mock
// (fixed metrics). A manual mock of a node module beside node_modules applies to every test.
module.exports = require('react-native-safe-area-context/jest/mock').default;
