// Babel is used by Jest (TypeScript sources → CommonJS for Node) and by bob's builds.
module.exports = (api) => {
  if (api.env('test')) {
    return {
      presets: [
        ['@babel/preset-env', { targets: { node: 'current' } }],
        '@babel/preset-typescript',
      ],
    };
  }
  return { presets: ['module:react-native-builder-bob/babel-preset'] };
};
