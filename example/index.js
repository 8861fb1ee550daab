/**
 * Entry point of the RCIM example app (registered under the name in app.json).
 */
import { AppRegistry } from 'react-native';
import App from './src/App';
import { name as appName } from './app.json';

AppRegistry.registerComponent(appName, () => App);
