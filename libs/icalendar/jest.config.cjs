const { jestProjectConfig } = require('../../jest.preset.cjs');

module.exports = jestProjectConfig(__dirname);
