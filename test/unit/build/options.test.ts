import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OPTION_TABLE } from '../../../src/core/option-table';
import {
  BUILDSYSTEM_DEFAULT_INSTALL_ROOT,
  buildOptions,
  DEFAULT_INSTALL_ROOT,
  parseOptions,
  type OptionEnvironment,
  type Options,
} from '../../../src/build/options';
import { assertUsageError, optionsFrom } from '../helpers';

function warningsFrom(argv: readonly string[], env: OptionEnvironment = {}): readonly string[] {
  const result = parseOptions(argv, env);
  assert.ok(result.action === 'build');
  return result.warnings;
}

/**
 * What each option does, as a value to pass (for value and list options) and the part of the result that
 * shows it. Every option of OPTION_TABLE except --help and --version must be here.
 */
const EFFECTS: Record<
  string,
  { value?: string; shows: (o: Options, warnings: readonly string[]) => unknown }
> = {
  package: { value: 'hello', shows: (o) => o.packages },
  'no-package': { value: 'hello-doc', shows: (o) => o.noPackages },
  arch: { shows: (o) => o.arch },
  indep: { shows: (o) => o.indep },
  verbose: { shows: (o) => o.verbose },
  sourcedirectory: { value: 'src', shows: (o) => o.sourceDirectory },
  'install-suffix': { value: 'myapp', shows: (o) => o.installSuffix },
  requirements: { value: 'requirements/prod.txt', shows: (o) => o.requirements },
  extras: { value: 'tests', shows: (o) => o.extras },
  'build-constraints': { value: 'build-constraints.txt', shows: (o) => o.buildConstraints },
  'lock-file': { value: 'uv.lock', shows: (o) => o.lockFile },
  'lock-group': { value: 'web', shows: (o) => o.lockGroups },
  preinstall: { value: 'setuptools>=60', shows: (o) => o.preinstall },
  'pip-tool': { value: 'pip-sync', shows: (o) => o.pipTool },
  'upgrade-pip': { shows: (o) => o.upgradePip },
  'upgrade-pip-to': { value: '23.3.1', shows: (o) => o.upgradePip },
  'index-url': { value: 'http://127.0.0.1:8080/simple', shows: (o) => o.indexUrl },
  'extra-index-url': { value: 'http://mirror.example/simple', shows: (o) => o.extraIndexUrls },
  'extra-pip-arg': { value: '--no-deps', shows: (o) => o.extraPipArgs },
  'extra-virtualenv-arg': { value: '--always-copy', shows: (o) => o.extraVirtualenvArgs },
  python: { value: 'python3.11', shows: (o) => o.python },
  'builtin-venv': { shows: (o) => o.builtinVenv },
  'without-pip': { shows: (o) => o.withoutPip },
  'allow-unpackaged-python': { shows: (o) => o.allowUnpackagedPython },
  installer: { value: 'uv', shows: (o) => o.installer },
  'ship-byte-code': { shows: (o) => o.shipByteCode },
  setuptools: { shows: (o) => o.setuptools },
  'setuptools-test': { shows: (o) => o.runTests },
  'use-system-packages': { shows: (o) => o.useSystemPackages },
  'skip-install': { shows: (o) => o.skipInstall },
  noscripts: { shows: (o) => o.autoscripts },
  'pypi-url': { value: 'http://127.0.0.1:8080/simple', shows: (o, w) => [o.indexUrl, w] },
  'no-test': { shows: (o, w) => [o.runTests, w] },
};

const EXPECTED: Record<string, unknown> = {
  package: ['hello'],
  'no-package': ['hello-doc'],
  arch: true,
  indep: true,
  verbose: true,
  sourcedirectory: 'src',
  'install-suffix': 'myapp',
  requirements: { file: 'requirements/prod.txt', explicit: true },
  extras: ['tests'],
  'build-constraints': 'build-constraints.txt',
  'lock-file': 'uv.lock',
  'lock-group': ['web'],
  preinstall: ['setuptools>=60'],
  'pip-tool': 'pip-sync',
  'upgrade-pip': { kind: 'latest' },
  'upgrade-pip-to': { kind: 'version', version: '23.3.1' },
  'index-url': 'http://127.0.0.1:8080/simple',
  'extra-index-url': ['http://mirror.example/simple'],
  'extra-pip-arg': ['--no-deps'],
  'extra-virtualenv-arg': ['--always-copy'],
  python: 'python3.11',
  'builtin-venv': true,
  'without-pip': true,
  'allow-unpackaged-python': true,
  installer: 'uv',
  'ship-byte-code': true,
  setuptools: true,
  'setuptools-test': true,
  'use-system-packages': true,
  'skip-install': true,
  noscripts: false,
  'pypi-url': ['http://127.0.0.1:8080/simple', ['--pypi-url is deprecated; use --index-url']],
  'no-test': [false, ['--no-test is deprecated and has no effect; tests only run with --setuptools-test']],
};

/** The options only the build system's Perl module passes (OptionSpec.internal). */
const BUILDSYSTEM_OPTIONS = ['buildsystem-step', 'source-package', 'builddirectory', 'destdir'];

/** Every way of spelling one option that dh_virtualenv accepts. */
function spellings(long: string, short: string | undefined, value: string | undefined): string[][] {
  if (value === undefined) {
    return [
      [`--${long}`],
      ...(short === undefined ? [] : [[`-${short}`]]),
      [`-O--${long}`],
      ['-O', `--${long}`],
    ];
  }
  return [
    [`--${long}`, value],
    [`--${long}=${value}`],
    ...(short === undefined ? [] : [[`-${short}`, value], [`-${short}${value}`]]),
    [`-O--${long}=${value}`],
    ['-O', `--${long}=${value}`],
  ];
}

describe('parseOptions: the option table', () => {
  test('every option of OPTION_TABLE has a case here (besides --help, --version and the internal ones)', () => {
    const longs = OPTION_TABLE.filter((spec) => spec.internal !== true)
      .map((spec) => spec.long)
      .filter((long) => long !== 'help' && long !== 'version');
    assert.deepEqual(Object.keys(EFFECTS).sort(), [...longs].sort());
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...longs].sort());
    const internal = OPTION_TABLE.filter((spec) => spec.internal === true).map((spec) => spec.long);
    assert.deepEqual(internal.sort(), [...BUILDSYSTEM_OPTIONS].sort(), 'tested under "build-system mode"');
  });

  test('defaults with no options at all', () => {
    assert.deepEqual(optionsFrom([]), {
      packages: [],
      noPackages: [],
      arch: false,
      indep: false,
      verbose: false,
      sourceDirectory: '.',
      installRoot: '/opt/venvs',
      installSuffix: undefined,
      requirements: { file: 'requirements.txt', explicit: false },
      buildConstraints: undefined,
      lockFile: undefined,
      lockGroups: [],
      extras: [],
      preinstall: [],
      pipTool: 'pip',
      upgradePip: { kind: 'none' },
      upgradeSetuptools: { kind: 'none' },
      upgradeWheel: { kind: 'none' },
      indexUrl: undefined,
      extraIndexUrls: [],
      extraPipArgs: [],
      extraVirtualenvArgs: [],
      python: undefined,
      builtinVenv: false,
      withoutPip: false,
      allowUnpackagedPython: false,
      installer: 'pip',
      shipByteCode: false,
      setuptools: false,
      runTests: false,
      useSystemPackages: false,
      skipInstall: false,
      autoscripts: true,
      buildsystem: undefined,
      given: [],
    });
    assert.equal(DEFAULT_INSTALL_ROOT, '/opt/venvs');
  });

  for (const spec of OPTION_TABLE) {
    const effect = EFFECTS[spec.long];
    if (effect === undefined) continue;
    for (const argv of spellings(spec.long, spec.short, effect.value)) {
      test(`${argv.join(' ')} (${spec.kind})`, () => {
        const result = parseOptions(argv, {});
        assert.ok(result.action === 'build');
        assert.deepEqual(effect.shows(result.options, result.warnings), EXPECTED[spec.long]);
      });
    }
    test(`DH_OPTIONS="${spellings(spec.long, spec.short, effect.value)[0]?.join(' ')}"`, () => {
      const words = spellings(spec.long, spec.short, effect.value)[0] ?? [];
      const result = parseOptions([], { DH_OPTIONS: words.join(' ') });
      assert.ok(result.action === 'build');
      assert.deepEqual(effect.shows(result.options, result.warnings), EXPECTED[spec.long]);
    });
  }

  test('--help, -h and --version are actions, whatever else is given', () => {
    const cases: [string[], OptionEnvironment, string][] = [
      [['--help'], {}, 'help'],
      [['-h'], {}, 'help'],
      [['-vh'], {}, 'help'],
      [['--version'], {}, 'version'],
      [['--help', '--version'], {}, 'help'],
      [['--pypi-url=a', '--index-url=b', '--help'], {}, 'help'],
      [[], { DH_OPTIONS: '--help' }, 'help'],
    ];
    for (const [argv, env, action] of cases)
      assert.deepEqual(parseOptions(argv, env), { action }, argv.join(' '));
  });
});

describe('parseOptions: how words are read', () => {
  test('short flags cluster like getopt, and a value may follow in the same word or the next', () => {
    const cases: [string[], (o: Options) => unknown, unknown][] = [
      [['-vS'], (o) => [o.verbose, o.useSystemPackages], [true, true]],
      [['-vSn'], (o) => [o.verbose, o.useSystemPackages, o.autoscripts], [true, true, false]],
      [['-ai'], (o) => [o.arch, o.indep], [true, true]],
      [['-pfoo'], (o) => o.packages, ['foo']],
      [['-vpfoo'], (o) => [o.verbose, o.packages], [true, ['foo']]],
      [['-vp', 'foo'], (o) => [o.verbose, o.packages], [true, ['foo']]],
      [['-pvS'], (o) => [o.verbose, o.packages], [false, ['vS']]],
      [['-Nfoo-doc', '-Dsrc'], (o) => [o.noPackages, o.sourceDirectory], [['foo-doc'], 'src']],
    ];
    for (const [argv, shows, expected] of cases)
      assert.deepEqual(shows(optionsFrom(argv)), expected, argv.join(' '));
  });

  test('repeatable options accumulate in order, across the command line and DH_OPTIONS', () => {
    const options = optionsFrom(
      [
        '-pa',
        '--package=b',
        '-O--package=c',
        '--extra-pip-arg',
        '--no-deps',
        '--extra-pip-arg=--prefer-binary',
        '--preinstall=setuptools',
        '--preinstall',
        'wheel',
        '--extras=a',
        '--extras',
        'b',
        '--extra-index-url=u1',
        '--extra-virtualenv-arg=--always-copy',
        '--extra-virtualenv-arg=--no-periodic-update',
      ],
      { DH_OPTIONS: '-p d --extra-index-url=u2' },
    );
    assert.deepEqual(options.packages, ['a', 'b', 'c', 'd']);
    assert.deepEqual(options.extraPipArgs, ['--no-deps', '--prefer-binary']);
    assert.deepEqual(options.preinstall, ['setuptools', 'wheel']);
    assert.deepEqual(options.extras, ['a', 'b']);
    assert.deepEqual(options.extraIndexUrls, ['u1', 'u2']);
    assert.deepEqual(options.extraVirtualenvArgs, ['--always-copy', '--no-periodic-update']);
  });

  test('a value option given twice keeps the last, and DH_OPTIONS is read after the command line', () => {
    assert.equal(optionsFrom(['--python=python3.10', '--python', 'python3.11']).python, 'python3.11');
    assert.equal(
      optionsFrom(['--python=python3.10'], { DH_OPTIONS: '--python python3.12' }).python,
      'python3.12',
    );
    assert.equal(optionsFrom(['-Dsrc'], { DH_OPTIONS: '  -Dother  ' }).sourceDirectory, 'other');
  });

  test("-O hands over dh options: ours are honoured, other commands' are skipped silently", () => {
    const cases: [string[], (o: Options) => unknown, unknown][] = [
      [['-O--index-url=http://127.0.0.1:8080/simple'], (o) => o.indexUrl, 'http://127.0.0.1:8080/simple'],
      [['-O', '--index-url=http://x/simple'], (o) => o.indexUrl, 'http://x/simple'],
      [['-O=--python=python3.11'], (o) => o.python, 'python3.11'],
      [['-O--buildsystem=pybuild', '-O--unknown=x', '-O--parallel'], (o) => o, optionsFrom([])],
      [['-O--verbose'], (o) => o.verbose, true],
      [['-O--verbose=1'], (o) => o.verbose, false],
      [['-O--index-url'], (o) => o.indexUrl, undefined],
      [['-O'], (o) => o, optionsFrom([])],
    ];
    for (const [argv, shows, expected] of cases) {
      assert.deepEqual(shows(optionsFrom(argv)), expected, argv.join(' '));
      assert.deepEqual(warningsFrom(argv), [], argv.join(' '));
    }
  });

  test("short options after -O are honoured, except -S: dh_auto_*'s -S is --buildsystem", () => {
    // dh hands `dh $@ -Dsrc` to every command as -O-Dsrc. -S means --buildsystem to dh_auto_*, so a bundled
    // -O-Spybuild must not turn on --use-system-packages (upstream's parser made it do so).
    for (const argv of [['-O-Spybuild'], ['-O', '-S']]) {
      assert.deepEqual(optionsFrom(argv), optionsFrom([]), argv.join(' '));
    }
    assert.equal(optionsFrom(['-O-v']).verbose, true);
    assert.equal(optionsFrom(['-O-Dsrc']).sourceDirectory, 'src');
    assert.deepEqual(optionsFrom(['-O-pdhvt-a']).packages, ['dhvt-a']);
  });

  test('a value may start with a dash (the next word is taken, as optparse does)', () => {
    assert.deepEqual(optionsFrom(['--extra-pip-arg', '--no-deps', '-v']).extraPipArgs, ['--no-deps']);
    assert.deepEqual(optionsFrom(['--extra-virtualenv-arg', '-v']).extraVirtualenvArgs, ['-v']);
    assert.equal(optionsFrom(['--extra-virtualenv-arg', '-v']).verbose, false);
  });

  test('unknown options on the command line are a usage error naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate'], /unknown option --frobnicate\b/],
      [['--frobnicate=3'], /unknown option --frobnicate=3/],
      [['-x'], /unknown option -x\b/],
      [['-vx'], /unknown option -x\b/],
      [
        ['--p', 'foo'],
        /option --p is ambiguous: it could be --package, --preinstall, --pip-tool, --python, --pypi-url; spell it out/,
      ],
      [['--up'], /option --up is ambiguous: it could be --upgrade-pip, --upgrade-pip-to/],
      [['--'], /unknown option --/],
    ];
    for (const [argv, message] of cases) assertUsageError(() => parseOptions(argv, {}), message);
  });

  test("an unambiguous beginning of a long option is that option, as upstream's optparse took it", () => {
    // [argv, what it must equal]
    const cases: [string[], string[]][] = [
      [['--index=http://127.0.0.1/simple'], ['--index-url=http://127.0.0.1/simple']],
      [
        ['--extra-index', 'http://x/'],
        ['--extra-index-url', 'http://x/'],
      ],
      [['--builtin'], ['--builtin-venv']],
      [['--upgrade-pip'], ['--upgrade-pip']],
      [
        ['--requirements=req.txt', '--setuptools-t'],
        ['--requirements=req.txt', '--setuptools-test'],
      ],
    ];
    for (const [argv, spelledOut] of cases)
      assert.deepEqual(optionsFrom(argv), optionsFrom(spelledOut), argv.join(' '));
    // In -O and DH_OPTIONS a word that is not ours is another command's, never a beginning of ours.
    assert.equal(optionsFrom(['-O--index=http://x/']).indexUrl, undefined);
  });

  test('unknown options in DH_OPTIONS are skipped with a warning', () => {
    const result = parseOptions(['-v'], { DH_OPTIONS: '--frobnicate -Xfoo --python=python3.11 stray' });
    assert.ok(result.action === 'build');
    assert.equal(result.options.python, 'python3.11');
    assert.equal(result.options.verbose, true);
    assert.deepEqual(result.warnings, [
      'ignoring unknown option --frobnicate in DH_OPTIONS',
      'ignoring unknown option -X in DH_OPTIONS',
    ]);
  });

  test('malformed words are usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['--python'], /option --python needs a value \(EXECUTABLE\)/],
      [['-p'], /option -p needs a value \(PACKAGE\)/],
      [['-vD'], /option -vD needs a value \(DIR\)/],
      [['--verbose=yes'], /option --verbose takes no value/],
      [['hello'], /unexpected argument "hello"/],
      [['-'], /unexpected argument "-"/],
      [['--requirements='], /--requirements needs a file name/],
      [['--python='], /--python needs an interpreter path or name/],
    ];
    for (const [argv, message] of cases) assertUsageError(() => parseOptions(argv, {}), message);
  });

  test('the result is frozen, lists and requirements included', () => {
    const options = optionsFrom(['-pa', '--extras=x']);
    for (const part of [
      options,
      options.packages,
      options.extras,
      options.requirements,
      options.preinstall,
    ]) {
      assert.ok(Object.isFrozen(part));
    }
    assert.throws(() => (options.packages as string[]).push('b'), TypeError);
  });
});

describe('parseOptions: the environment', () => {
  test("DH_INTERNAL_OPTIONS: dh's own -O options reach an override; the command line wins", () => {
    const env = {
      DH_INTERNAL_OPTIONS: ['-O--sourcedirectory=src', '-a', '-O--unknown=x', '-O-v'].join('\x1e'),
    };
    const options = optionsFrom([], env);
    assert.equal(options.sourceDirectory, 'src');
    assert.equal(options.verbose, true);
    assert.equal(options.arch, false, '-a there is for dh_listpackages, which reads the variable itself');
    assert.equal(optionsFrom(['--sourcedirectory=other'], env).sourceDirectory, 'other');
    assert.equal(optionsFrom([], {}).sourceDirectory, '.');
  });

  test('DH_VERBOSE=1 (and only 1) turns on verbose', () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['', false],
      ['0', false],
      ['1', true],
      ['yes', false],
    ];
    for (const [value, verbose] of cases) {
      assert.equal(optionsFrom([], { DH_VERBOSE: value }).verbose, verbose, `DH_VERBOSE=${value}`);
    }
  });

  test('DH_VIRTUALENV_INSTALL_ROOT: an absolute directory of plain characters, normalised', () => {
    const cases: [string | undefined, string | RegExp][] = [
      [undefined, '/opt/venvs'],
      ['', '/opt/venvs'],
      ['/srv/venvs', '/srv/venvs'],
      ['/srv/venvs/', '/srv/venvs'],
      ['/srv//venvs///', '/srv/venvs'],
      ['/srv/./venvs', '/srv/venvs'],
      ['/opt/../srv', '/srv'],
      ['/opt/py_3.11+venvs@x:y-z', '/opt/py_3.11+venvs@x:y-z'],
      ['venvs', /must be an absolute path/],
      ['./venvs', /must be an absolute path/],
      ['~/venvs', /must be an absolute path/],
      ['/', /cannot be "\/"/],
      ['//', /cannot be "\/"/],
      ['/opt/..', /cannot be "\/"/],
      ['/opt/my venvs', /must be an absolute path of letters/],
      ["/opt/it's", /must be an absolute path of letters/],
      ['/opt/"venvs"', /must be an absolute path of letters/],
      ['/opt/$HOME', /must be an absolute path of letters/],
      ['/opt/venvs\n', /must be an absolute path of letters/],
      ['/opt/vénvs', /must be an absolute path of letters/],
    ];
    for (const [value, expected] of cases) {
      const env = { DH_VIRTUALENV_INSTALL_ROOT: value };
      if (typeof expected === 'string')
        assert.equal(optionsFrom([], env).installRoot, expected, String(value));
      else assertUsageError(() => parseOptions([], env), expected);
    }
  });

  test('DEB_BUILD_OPTIONS=nocheck turns --setuptools-test off; nocheck must be a whole word', () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, true],
      ['', true],
      ['nocheck', false],
      ['parallel=2 nocheck', false],
      ['nocheck parallel=2', false],
      ['  nostrip\tnocheck\n', false],
      ['noopt,nocheck', false],
      ['nocheckfoo', true],
      ['foonocheck', true],
      ['nodoc parallel=4', true],
    ];
    for (const [value, runTests] of cases) {
      const env = { DEB_BUILD_OPTIONS: value };
      assert.equal(optionsFrom(['--setuptools-test'], env).runTests, runTests, `DEB_BUILD_OPTIONS=${value}`);
      assert.equal(optionsFrom([], env).runTests, false, `no --setuptools-test, DEB_BUILD_OPTIONS=${value}`);
    }
  });

  test('buildOptions splits DEB_BUILD_OPTIONS into option names', () => {
    assert.deepEqual(buildOptions(undefined), []);
    assert.deepEqual(buildOptions('parallel=2 nocheck'), ['parallel', 'nocheck']);
    assert.deepEqual(buildOptions(' noopt,nostrip  '), ['noopt', 'nostrip']);
  });
});

describe('parseOptions: checks on values and combinations', () => {
  test('--install-suffix must stay inside the install root', () => {
    const cases: [string, string | RegExp][] = [
      ['myapp', 'myapp'],
      ['myapp/', 'myapp'],
      ['./myapp', 'myapp'],
      ['group/myapp', 'group/myapp'],
      ['..', /must be a relative directory name/],
      ['../etc', /must be a relative directory name/],
      ['a/../../etc', /must be a relative directory name/],
      ['a/..', /must be a relative directory name/],
      ['/opt/venvs/x', /must be a relative directory name/],
      ['', /must be a relative directory name/],
      ['.', /must be a relative directory name/],
      ['my app', /must be a relative directory name/],
      ["it's", /must be a relative directory name/],
    ];
    for (const [value, expected] of cases) {
      const argv = [`--install-suffix=${value}`];
      if (typeof expected === 'string') assert.equal(optionsFrom(argv).installSuffix, expected, value);
      else assertUsageError(() => parseOptions(argv, {}), expected);
    }
  });

  test('--pypi-url warns and sets the index; with --index-url, in either order, it is an error', () => {
    const options = optionsFrom(['--pypi-url', 'http://old/simple']);
    assert.equal(options.indexUrl, 'http://old/simple');
    assert.deepEqual(warningsFrom(['--pypi-url=http://old/simple']), [
      '--pypi-url is deprecated; use --index-url',
    ]);
    for (const argv of [
      ['--pypi-url=a', '--index-url=b'],
      ['--index-url=b', '--pypi-url=a'],
      ['--index-url=b', '-O--pypi-url=a'],
    ]) {
      assertUsageError(() => parseOptions(argv, {}), /--pypi-url and --index-url cannot be used together/);
    }
    assertUsageError(
      () => parseOptions(['--index-url=b'], { DH_OPTIONS: '--pypi-url=a' }),
      /--pypi-url and --index-url cannot be used together/,
    );
  });

  test('--no-test warns and does nothing; with --setuptools-test, in either order, it is an error', () => {
    assert.equal(optionsFrom(['--no-test']).runTests, false);
    assert.deepEqual(warningsFrom(['--no-test']), [
      '--no-test is deprecated and has no effect; tests only run with --setuptools-test',
    ]);
    for (const argv of [
      ['--no-test', '--setuptools-test'],
      ['--setuptools-test', '--no-test'],
    ]) {
      assertUsageError(
        () => parseOptions(argv, {}),
        /--no-test and --setuptools-test cannot be used together/,
      );
    }
  });

  test('-s/--setuptools with --builtin-venv is an error (venv cannot seed setuptools)', () => {
    for (const argv of [
      ['-s', '--builtin-venv'],
      ['--builtin-venv', '--setuptools'],
      ['-vs', '-O--builtin-venv'],
    ]) {
      assertUsageError(
        () => parseOptions(argv, {}),
        /--setuptools and --builtin-venv cannot be used together/,
      );
    }
    assert.equal(optionsFrom(['-s']).setuptools, true);
    assert.equal(optionsFrom(['--builtin-venv']).builtinVenv, true);
  });

  test('--installer: pip or uv; anything else, or uv with --pip-tool, is an error', () => {
    assert.equal(optionsFrom([]).installer, 'pip');
    assert.equal(optionsFrom(['--installer=pip']).installer, 'pip');
    assert.equal(optionsFrom(['-O--installer=uv']).installer, 'uv');
    assertUsageError(
      () => parseOptions(['--installer=poetry'], {}),
      /--installer "poetry": expected one of pip, uv/,
    );
    assertUsageError(
      () => parseOptions(['--installer=uv', '--pip-tool=pip-sync'], {}),
      /--installer uv and --pip-tool cannot be used together/,
    );
  });

  test('--without-pip: no pip to upgrade and no setuptools to seed, so those options are errors with it', () => {
    assert.equal(optionsFrom(['--without-pip']).withoutPip, true);
    assert.equal(optionsFrom(['-O--without-pip']).withoutPip, true);
    assert.equal(optionsFrom([]).withoutPip, false);
    const cases: [string[], RegExp][] = [
      [['--without-pip', '--upgrade-pip'], /--without-pip and --upgrade-pip cannot be used together/],
      [
        ['--upgrade-pip-to=23.3.1', '--without-pip'],
        /--without-pip and --upgrade-pip-to cannot be used together/,
      ],
      [['-s', '--without-pip'], /--without-pip and --setuptools cannot be used together/],
    ];
    for (const [argv, message] of cases) assertUsageError(() => parseOptions(argv, {}), message);
  });

  test('--upgrade-pip and --upgrade-pip-to VERSION', () => {
    const cases: [string[], Options['upgradePip'] | RegExp][] = [
      [[], { kind: 'none' }],
      [['--upgrade-pip'], { kind: 'latest' }],
      [['--upgrade-pip-to=latest'], { kind: 'latest' }],
      [['--upgrade-pip-to', '23.3.1'], { kind: 'version', version: '23.3.1' }],
      [['--upgrade-pip-to=9'], { kind: 'version', version: '9' }],
      [['--upgrade-pip-to=24.0b1'], { kind: 'version', version: '24.0b1' }],
      [['--upgrade-pip-to=1!2.0'], { kind: 'version', version: '1!2.0' }],
      [['--upgrade-pip', '--upgrade-pip-to=22.0'], { kind: 'version', version: '22.0' }],
      [['--upgrade-pip-to='], { kind: 'none' }],
      [['--upgrade-pip', '--upgrade-pip-to='], { kind: 'latest' }],
      [['--upgrade-pip-to=abc'], /--upgrade-pip-to "abc" is not a version/],
      [['--upgrade-pip-to=>=23'], /--upgrade-pip-to ">=23" is not a version/],
      [['--upgrade-pip-to', '23.1 ; rm -rf /'], /is not a version/],
      [['--upgrade-pip-to', '-1'], /is not a version/],
    ];
    for (const [argv, expected] of cases) {
      if (expected instanceof RegExp) assertUsageError(() => parseOptions(argv, {}), expected);
      else assert.deepEqual(optionsFrom(argv).upgradePip, expected, argv.join(' '));
    }
  });

  test('--pip-tool is a program name in the venv bin/, not a path', () => {
    assert.equal(optionsFrom(['--pip-tool=pip-sync']).pipTool, 'pip-sync');
    for (const value of ['bin/pip-sync', '/usr/bin/pip', '']) {
      assertUsageError(
        () => parseOptions([`--pip-tool=${value}`], {}),
        /--pip-tool ".*" must be the name of a program/,
      );
    }
  });
});

describe('parseOptions: build-system mode (dh $@ --buildsystem=dh_virtualenv)', () => {
  /** What perl/Debian/Debhelper/Buildsystem/dh_virtualenv.pm passes for one dh_auto_* step. */
  const handOver = (step: string, ...extra: string[]): string[] => [
    `--buildsystem-step=${step}`,
    '--source-package=hello',
    '--sourcedirectory=.',
    '--builddirectory=obj-x86_64-linux-gnu',
    ...extra,
  ];

  test("settings come from upstream's environment variables, with upstream's defaults", () => {
    const options = optionsFrom(handOver('install', '--destdir=debian/hello'));
    assert.deepEqual(options.buildsystem, {
      step: 'install',
      sourcePackage: 'hello',
      buildDir: 'obj-x86_64-linux-gnu',
      destDir: 'debian/hello',
      addonActive: false,
    });
    assert.equal(options.installRoot, BUILDSYSTEM_DEFAULT_INSTALL_ROOT);
    assert.equal(BUILDSYSTEM_DEFAULT_INSTALL_ROOT, '/usr/share/python');
    assert.equal(options.installSuffix, 'hello');
    assert.deepEqual(options.requirements, { file: 'requirements.txt', explicit: false });
    assert.equal(options.runTests, true);
    assert.equal(options.autoscripts, true);
    assert.equal(options.buildsystem?.destDir, 'debian/hello');
    assert.equal(optionsFrom(handOver('build')).buildsystem?.destDir, undefined);
    for (const part of [options, options.buildsystem, options.requirements, options.extraPipArgs]) {
      assert.ok(Object.isFrozen(part));
    }
  });

  test('each variable', () => {
    const cases: [OptionEnvironment, (o: Options) => unknown, unknown][] = [
      [{ DH_VIRTUALENV_INSTALL_ROOT: '/opt/venvs/' }, (o) => o.installRoot, '/opt/venvs'],
      [{ DH_VIRTUALENV_INSTALL_ROOT: '' }, (o) => o.installRoot, '/usr/share/python'],
      [{ DH_VIRTUALENV_INSTALL_SUFFIX: 'app' }, (o) => o.installSuffix, 'app'],
      // Set by the python-virtualenv add-on when it is loaded beside the build system.
      [{ DH_VIRTUALENV_ADDON_ACTIVE: '1' }, (o) => o.buildsystem?.addonActive, true],
      [{}, (o) => o.buildsystem?.addonActive, false],
      [{ DH_VIRTUALENV_INSTALL_SUFFIX: '' }, (o) => o.installSuffix, 'hello'],
      [
        { DH_REQUIREMENTS_FILE: 'req/prod.txt' },
        (o) => o.requirements,
        { file: 'req/prod.txt', explicit: true },
      ],
      [{ DH_REQUIREMENTS_FILE: '' }, (o) => o.requirements, { file: 'requirements.txt', explicit: false }],
      [{ DH_UPGRADE_PIP: '' }, (o) => o.upgradePip, { kind: 'latest' }],
      [{ DH_UPGRADE_PIP: 'latest' }, (o) => o.upgradePip, { kind: 'latest' }],
      [{ DH_UPGRADE_PIP: '23.3.1' }, (o) => o.upgradePip, { kind: 'version', version: '23.3.1' }],
      [{ DH_UPGRADE_SETUPTOOLS: '' }, (o) => o.upgradeSetuptools, { kind: 'latest' }],
      [{ DH_UPGRADE_WHEEL: '0.42.0' }, (o) => o.upgradeWheel, { kind: 'version', version: '0.42.0' }],
      [
        {},
        (o) => [o.upgradePip, o.upgradeSetuptools, o.upgradeWheel],
        [{ kind: 'none' }, { kind: 'none' }, { kind: 'none' }],
      ],
      [
        { DH_PIP_EXTRA_ARGS: ' --no-deps  --prefer-binary ' },
        (o) => o.extraPipArgs,
        ['--no-deps', '--prefer-binary'],
      ],
      [{ DH_VIRTUALENV_ARGUMENTS: '--always-copy' }, (o) => o.extraVirtualenvArgs, ['--always-copy']],
      [{ DH_VERBOSE: '1' }, (o) => o.verbose, true],
      [{ DH_VIRTUALENV_SHIP_BYTE_CODE: '1' }, (o) => o.shipByteCode, true],
      [{ DH_VIRTUALENV_SHIP_BYTE_CODE: '0' }, (o) => o.shipByteCode, false],
      [{ DH_VIRTUALENV_SHIP_BYTE_CODE: '' }, (o) => o.shipByteCode, false],
      [{}, (o) => o.shipByteCode, false],
    ];
    for (const [env, shows, expected] of cases) {
      assert.deepEqual(shows(optionsFrom(handOver('build'), env)), expected, JSON.stringify(env));
    }
    assert.equal(optionsFrom([...handOver('build'), '-v']).verbose, true);
  });

  test('bad hand-overs and bad variables are usage errors', () => {
    const cases: [string[], OptionEnvironment, RegExp][] = [
      [
        handOver('frobnicate'),
        {},
        /--buildsystem-step frobnicate: expected one of configure, build, test, install, clean/,
      ],
      [
        ['--buildsystem-step=build', '--builddirectory=obj'],
        {},
        /needs --source-package and --builddirectory/,
      ],
      [
        ['--buildsystem-step=build', '--source-package=hello'],
        {},
        /needs --source-package and --builddirectory/,
      ],
      [handOver('build'), { DH_VIRTUALENV_INSTALL_SUFFIX: '../etc' }, /"\.\.\/etc"/],
      [
        handOver('build'),
        { DH_VIRTUALENV_INSTALL_ROOT: 'relative' },
        /DH_VIRTUALENV_INSTALL_ROOT must be an absolute/,
      ],
      [
        handOver('build'),
        { DH_VIRTUALENV_SHIP_BYTE_CODE: 'yes' },
        /DH_VIRTUALENV_SHIP_BYTE_CODE="yes": set it to 1/,
      ],
    ];
    for (const [argv, env, message] of cases) assertUsageError(() => parseOptions(argv, env), message);
  });

  // upgradeFromEnv() calls pipUpgrade(), whose error names --upgrade-pip-to, an option the user never gave;
  // its own check naming the variable (upgrade.kind === 'latest' && raw !== 'latest') can never be reached.
  test('an invalid DH_UPGRADE_* value is reported under its own name', () => {
    assertUsageError(
      () => parseOptions(handOver('build'), { DH_UPGRADE_PIP: 'abc' }),
      /DH_UPGRADE_PIP="abc"/,
    );
  });
});
