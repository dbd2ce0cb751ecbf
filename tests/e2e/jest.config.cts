/**
 * End-to-end tests: the built sender and receiver as real processes on
 * loopback, with an ImpairRelay between them. One worker (the specs start
 * their own processes and would only compete for the two cores) and a
 * generous per-test timeout; every wait inside is bounded on its own.
 */
module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
