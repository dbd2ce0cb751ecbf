const path = require('path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // The summary reporter lets `npm test` print one closing line for every project.
  reporters: ['default', path.join(__dirname, 'tools/jest/summary-reporter.js')],
};
