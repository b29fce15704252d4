// Runs the bundled test files one at a time: the end-to-end tests share the host's dpkg database, which
// takes one writer at once. Uses the node:test API (not --test-concurrency) so Node 18 runs it too.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

function testFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return testFiles(path);
      return name.endsWith('.test.js') ? [path] : [];
    });
}

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['build/test'];
const files = dirs.flatMap((dir) => (statSync(dir).isDirectory() ? testFiles(dir) : [dir]));
const stream = run({ files, concurrency: 1 });
stream.on('test:fail', (event) => {
  if (event.todo === undefined) process.exitCode = 1;
});
stream.pipe(new spec()).pipe(process.stdout);
