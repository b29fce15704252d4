import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optionsOf, parseWords } from '../../../src/subcommand';
import { resolveVendorOptions, type VendorOptions } from '../../../src/vendor/options';
import { vendorSubcommand } from '../../../src/vendor/subcommand';
import { assertUsageError } from '../helpers';

function vendorOptions(words: readonly string[], env: Record<string, string> = {}): VendorOptions {
  return resolveVendorOptions(parseWords(words, optionsOf(vendorSubcommand), 'dh-virtualenv vendor'), env);
}

test('vendor options: defaults follow dh_virtualenv, each option lands in its field', () => {
  const defaults = vendorOptions([]);
  assert.deepEqual(defaults.requirements, []);
  assert.equal(defaults.sourceDirectory, '.');
  assert.equal(defaults.python, '/usr/bin/python3');
  assert.deepEqual([...(defaults.upgrade as Set<string>)], []);
  assert.equal(defaults.verbose, false);
  assert.equal(Object.isFrozen(defaults), true);

  const given = vendorOptions([
    '--requirements',
    'requirements/base.txt',
    '--requirements=requirements/web.txt',
    '-D',
    'src/app/',
    '--extras',
    'web, worker',
    '--include',
    'pip',
    '--python',
    'python3.13',
    '--index-url',
    'https://pypi.example.org/simple',
    '--upgrade',
    'Zope.Interface',
    '-v',
  ]);
  assert.deepEqual(given.requirements, ['requirements/base.txt', 'requirements/web.txt']);
  assert.equal(given.sourceDirectory, 'src/app/');
  assert.deepEqual(given.extras, ['web', 'worker']);
  assert.deepEqual(given.include, ['pip']);
  assert.equal(given.python, 'python3.13');
  assert.equal(given.indexUrl, 'https://pypi.example.org/simple');
  assert.deepEqual([...(given.upgrade as Set<string>)], ['zope-interface']);
  assert.equal(given.verbose, true);
  assert.equal(vendorOptions(['--upgrade-all']).upgrade, 'all');
  assert.equal(vendorOptions([], { DH_VERBOSE: '1' }).verbose, true);
});

test('vendor options: what cannot be right is a usage error naming the option', () => {
  // [words, message]
  const cases: [string[], RegExp][] = [
    [['requests'], /unexpected argument "requests"; give more requirements with --include/],
    [
      ['--requirements', '/etc/passwd'],
      /--requirements \/etc\/passwd: give a path inside the source package/,
    ],
    [['--requirements', '../other/requirements.txt'], /--requirements \.\.\/other/],
    [['-D', '..'], /--sourcedirectory \.\.: give a path inside/],
    [['--python', ' '], /--python needs a value/],
    [['--upgrade', 'six', '--upgrade-all'], /--upgrade NAME and --upgrade-all/],
    [['--index'], /unknown option --index/],
  ];
  for (const [words, message] of cases) assertUsageError(() => vendorOptions(words), message);
});
