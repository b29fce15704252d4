import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteForShell } from '../../../src/core/shell-quote';

test('quoteForShell leaves plain words alone and quotes the rest', () => {
  const cases: [string, string][] = [
    ['/opt/venvs/hello', '/opt/venvs/hello'],
    ['--index-url=http://127.0.0.1:8080/simple', '--index-url=http://127.0.0.1:8080/simple'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", `'it'\\''s'`],
  ];
  for (const [word, quoted] of cases) assert.equal(quoteForShell(word), quoted);
});
