import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEntry, type LogEntry } from '../../../src/core/log';

test('formatEntry: what is shown, quiet and verbose', () => {
  // [entry, quiet output, verbose output]
  const cases: [LogEntry, string | null, string | null][] = [
    [
      { kind: 'progress', packageName: 'hello', message: 'installing the project' },
      'dh_virtualenv: hello: installing the project',
      'dh_virtualenv: hello: installing the project',
    ],
    [
      { kind: 'command', argv: ['/usr/bin/python3', '-m', 'virtualenv', '/b/x'] },
      null,
      '\t/usr/bin/python3 -m virtualenv /b/x',
    ],
    [
      { kind: 'command', argv: ['pip', 'install', 'setuptools>=60', "it's", ''] },
      null,
      `\tpip install 'setuptools>=60' 'it'\\''s' ''`,
    ],
    [
      { kind: 'command', argv: ['python', '-m', 'pip', 'install', '.'], cwd: '/build/my src' },
      null,
      "\t(cd '/build/my src' && python -m pip install .)",
    ],
    [{ kind: 'detail', message: 'no packages to act on' }, null, 'dh_virtualenv: no packages to act on'],
    [
      {
        kind: 'done',
        packageName: 'web',
        message: 'installing requirements.txt (38 distributions)',
        seconds: 9.84,
      },
      'dh_virtualenv: web: installing requirements.txt (38 distributions) … 9.8 s',
      'dh_virtualenv: web: installing requirements.txt (38 distributions) … 9.8 s',
    ],
    [
      { kind: 'warning', message: '--no-test is deprecated' },
      'dh_virtualenv: warning: --no-test is deprecated',
      'dh_virtualenv: warning: --no-test is deprecated',
    ],
    [
      {
        kind: 'error',
        message: 'hello: installing the project failed',
        details: ['command: pip install .', 'hint: x'],
      },
      'dh_virtualenv: error: hello: installing the project failed\ndh_virtualenv: command: pip install .\ndh_virtualenv: hint: x',
      'dh_virtualenv: error: hello: installing the project failed\ndh_virtualenv: command: pip install .\ndh_virtualenv: hint: x',
    ],
    [
      { kind: 'error', message: 'bad', details: [] },
      'dh_virtualenv: error: bad',
      'dh_virtualenv: error: bad',
    ],
  ];
  for (const [entry, quiet, verbose] of cases) {
    assert.equal(formatEntry(entry, false), quiet, `${entry.kind}, quiet`);
    assert.equal(formatEntry(entry, true), verbose, `${entry.kind}, verbose`);
  }
});

test('formatEntry names the command that prints', () => {
  const entry: LogEntry = { kind: 'warning', message: 'x' };
  assert.equal(formatEntry(entry, false, 'dh_virtualenv_shlibdeps'), 'dh_virtualenv_shlibdeps: warning: x');
});

test('formatEntry masks credentials in whatever it prints', () => {
  const entries: LogEntry[] = [
    { kind: 'command', argv: ['pip', 'install', '--index-url=https://u:s3cret@h/simple'] },
    { kind: 'warning', message: 'cannot reach https://u:s3cret@h/simple' },
    { kind: 'error', message: 'x failed', details: ['command: pip --index-url=https://TOKEN@h/simple'] },
  ];
  for (const entry of entries) {
    const text = formatEntry(entry, true) ?? '';
    assert.doesNotMatch(text, /s3cret|TOKEN/);
    assert.match(text, /\*\*\*\*@h\/simple/);
  }
});
