import nx from '@nx/eslint-plugin';

/**
 * Module boundaries (ARCHITECTURE.md): apps depend on libs, libs never on apps;
 * `protocol` never depends on `imaging`; protocol's `core` and `wire` stay
 * sans-IO (no sockets, no NestJS).
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', 'tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
            { sourceTag: 'scope:protocol', onlyDependOnLibsWithTags: ['scope:protocol'] },
            { sourceTag: 'scope:imaging', onlyDependOnLibsWithTags: ['scope:imaging'] },
            // service-kit is HTTP plumbing shared by the apps: it knows nothing of datagrams or pixels.
            { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:service'] },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['libs/protocol/src/core/**/*.ts', 'libs/protocol/src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'dgram', message: 'core and wire are sans-IO: sockets live in src/node.' },
            { name: 'node:dgram', message: 'core and wire are sans-IO: sockets live in src/node.' },
            { name: 'net', message: 'core and wire are sans-IO.' },
            { name: 'node:net', message: 'core and wire are sans-IO.' },
          ],
          patterns: [
            { group: ['@nestjs/*'], message: 'core and wire know nothing of NestJS: it lives in src/nest.' },
            { group: ['../node/*', '../nest/*', '../testing/*'], message: 'core and wire depend on nothing outside themselves.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'core is sans-IO: return a deadline instead.' },
        { name: 'setInterval', message: 'core is sans-IO: return a deadline instead.' },
        { name: 'performance', message: 'core is sans-IO: time is an argument.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core is sans-IO: time is an argument.' },
        { object: 'Math', property: 'random', message: 'core is sans-IO: randomness is injected.' },
      ],
    },
  },
];
