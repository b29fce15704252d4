import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors';
import type { OptionSpec } from '../../src/core/option-table';
import { dhVirtualenvManpage } from '../../src/subcommand-manpage';
import { optionsOf, overviewHelp, parseWords, subcommandHelp, type Subcommand } from '../../src/subcommand';
import { SUBCOMMANDS } from '../../src/subcommands';

const SPECS: readonly OptionSpec[] = [
  { long: 'name', kind: 'value', help: 'A name.' },
  { long: 'tag', kind: 'list', help: 'A tag.' },
  { long: 'force', short: 'f', kind: 'flag', help: 'Force.' },
  { long: 'verbose', short: 'v', kind: 'flag', help: 'Verbose.' },
  { long: 'user', short: 'u', kind: 'value', help: 'A user.' },
];

test('words are read the way getopt_long reads them', () => {
  // [words, flags, values, lists, operands]
  const cases: [string[], string[], [string, string][], [string, string[]][], string[]][] = [
    [[], [], [], [], []],
    [['--name', 'a', '--name=b'], [], [['name', 'b']], [], []],
    [['--tag', 'x', '--tag=y'], [], [], [['tag', ['x', 'y']]], []],
    [['-fv'], ['force', 'verbose'], [], [], []],
    [['-vuroot'], ['verbose'], [['user', 'root']], [], []],
    [['-u', 'root', 'here'], [], [['user', 'root']], [], ['here']],
    [['--', '--name'], [], [], [], ['--name']],
    [['--name=', '-'], [], [['name', '']], [], ['-']],
  ];
  for (const [words, flags, values, lists, operands] of cases) {
    const parsed = parseWords(words, SPECS, 'cmd');
    assert.deepEqual([...parsed.flags], flags, words.join(' '));
    assert.deepEqual([...parsed.values], values, words.join(' '));
    assert.deepEqual([...parsed.lists], lists, words.join(' '));
    assert.deepEqual(parsed.operands, operands, words.join(' '));
  }
});

test('unknown options, missing values and values for flags are usage errors naming the command', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /^unknown option --nope \(see cmd --help for the options it takes\)$/],
    [['-x'], /^unknown option -x/],
    [['--name'], /^option --name needs a value/],
    [['-u'], /^option -u needs a value/],
    [['--force=yes'], /^option --force takes no value$/],
  ];
  for (const [words, message] of cases) {
    assert.throws(
      () => parseWords(words, SPECS, 'cmd'),
      (error: unknown) => error instanceof UsageError && message.test(error.message),
      words.join(' '),
    );
  }
});

test('--help of dh-virtualenv lists the commands; of a command, its options with --verbose and --help', () => {
  const overview = overviewHelp('dh-virtualenv', SUBCOMMANDS);
  assert.match(overview, /^Usage: dh-virtualenv <command> \[options\]\n/);
  // The names are padded to the longest one.
  assert.match(overview, /\n {2}init +Write a complete debian\/ for the Python project/);
  assert.match(overview, /\n {2}vendor +Fetch every distribution the package build needs/);
  const init = SUBCOMMANDS.find((subcommand) => subcommand.name === 'init') ?? assert.fail('no init');
  const help = subcommandHelp('dh-virtualenv', init);
  for (const spec of optionsOf(init)) assert.ok(help.includes(`--${spec.long}`), spec.long);
  assert.ok(help.includes('-v, --verbose') && help.includes('-h, --help'));
});

test('a subcommand is one entry of SUBCOMMANDS: the manual page and --help follow from it', () => {
  const extra: Subcommand = {
    name: 'vendor',
    summary: 'Download the requirements.',
    description: ['Downloads.'],
    options: [{ long: 'lock', kind: 'flag', help: 'Write the lock.' }],
    examples: [{ text: 'Vendor:', lines: ['dh-virtualenv vendor --lock'] }],
    run: () => undefined,
  };
  const page = dhVirtualenvManpage({ version: '9.9', date: '2026-01-01' }, [...SUBCOMMANDS, extra]);
  assert.match(page, /^\.TH DH-VIRTUALENV 1 "2026-01-01" "dh\\-virtualenv 9\.9"/m);
  assert.match(page, /^\.SS dh\\-virtualenv init$/m);
  assert.match(page, /^\.SS dh\\-virtualenv vendor$/m);
  assert.match(page, /\\fB\\-\\-lock\\fR/);
  assert.match(page, /\\fB\\-\\-service\\fR \\fISCRIPT\\fR/);
  assert.match(
    overviewHelp('dh-virtualenv', [...SUBCOMMANDS, extra]),
    /vendor {2}Download the requirements\./,
  );
});
