import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions } from '../../../src/build/options';
import { optionsOf, parseWords } from '../../../src/subcommand';
import { resolveVendorOptions, type VendorOptions } from '../../../src/vendor/options';
import { vendorSubcommand } from '../../../src/vendor/subcommand';
import { assertUsageError } from '../helpers';

function vendorOptions(words: readonly string[], env: Record<string, string> = {}): VendorOptions {
  return resolveVendorOptions(parseWords(words, optionsOf(vendorSubcommand), 'dh-virtualenv vendor'), env);
}

test("vendor options: dh_virtualenv's options reach its parser as given, vendor's own land in their fields", () => {
  const defaults = vendorOptions([]);
  assert.deepEqual(defaults.buildArgs, []);
  assert.deepEqual([...(defaults.upgrade as Set<string>)], []);
  assert.equal(defaults.verbose, false);
  assert.equal(Object.isFrozen(defaults), true);

  const given = vendorOptions([
    '--requirements',
    'requirements/base.txt',
    '-D',
    'src/app',
    '--extras=web',
    '--extras',
    'worker',
    '--lock-file',
    'uv.lock',
    '--upgrade-pip',
    '--python',
    'python3.13',
    '--index-url',
    'https://pypi.example.org/simple',
    '--include',
    'setuptools==69.5.1',
    '--upgrade',
    'Zope.Interface',
    '-v',
  ]);
  const parsed = parseOptions(given.buildArgs, {});
  assert.ok(parsed.action === 'build');
  assert.equal(parsed.options.requirements.file, 'requirements/base.txt');
  assert.equal(parsed.options.sourceDirectory, 'src/app');
  assert.deepEqual(parsed.options.extras, ['web', 'worker']);
  assert.equal(parsed.options.lockFile, 'uv.lock');
  assert.deepEqual(parsed.options.upgradePip, { kind: 'latest' });
  assert.equal(parsed.options.python, 'python3.13');
  assert.equal(parsed.options.indexUrl, 'https://pypi.example.org/simple');
  assert.deepEqual(given.include, ['setuptools==69.5.1']);
  assert.deepEqual([...(given.upgrade as Set<string>)], ['zope-interface']);
  assert.equal(given.verbose, true);
  assert.equal(vendorOptions(['--upgrade-all']).upgrade, 'all');
  assert.equal(vendorOptions([], { DH_VERBOSE: '1' }).verbose, true);
});

test('vendor options: what cannot be right is a usage error naming the option', () => {
  // [words, message]
  const cases: [string[], RegExp][] = [
    [['requests'], /unexpected argument "requests"; give more requirements with --include/],
    [['--upgrade', 'six', '--upgrade-all'], /--upgrade NAME and --upgrade-all/],
    [['--index'], /unknown option --index/],
    [['--install-suffix', 'x'], /unknown option --install-suffix/],
  ];
  for (const [words, message] of cases) assertUsageError(() => vendorOptions(words), message);
});
