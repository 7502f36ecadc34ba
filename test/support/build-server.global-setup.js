// Jest global setup: compile the server once (swc, about two seconds) so that specs which run the
// real server as a child process start `dist/main.js` in a second instead of compiling TypeScript
// on the fly in every child.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function buildServer() {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js'), 'src', '-d', 'dist', '--strip-leading-paths', '--copy-files', '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
};
