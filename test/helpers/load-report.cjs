// Preloaded into the hook in a test (node -r): at exit, write which JS files were
// required and whether node:crypto was loaded, to the file named in LOAD_REPORT.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.LOAD_REPORT, JSON.stringify({
    crypto: process.moduleLoadList.includes('NativeModule crypto'),
    files: Object.keys(require.cache),
  }));
});
