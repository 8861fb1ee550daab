'use strict';
// Jest setupFiles entry: replaces react-native-rcim with its in-memory mock in every test.
jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));
