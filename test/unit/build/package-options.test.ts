import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UsageError } from '../../../src/core/errors';
import { OPTION_TABLE } from '../../../src/core/option-table';
import type { Options } from '../../../src/build/options';
import {
  binaryPackagesOf,
  optionsOfPackages,
  packageFileCandidates,
  packageOptions,
  parsePackageFile,
  strayPackageFiles,
  type OptionLine,
} from '../../../src/build/package-options';
import { optionsFrom, recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

const WHERE = 'debian/hello.dh-virtualenv';

/** The options for this command line with this per-package file read after it. */
function withFile(argv: readonly string[], text: string, env: Record<string, string> = {}): Options {
  return packageOptions(optionsFrom(argv, env), parsePackageFile(text, WHERE), WHERE, env);
}

/** Options without the record of how they were given, to compare a file's effect with the command line's. */
function effect(options: Options): Partial<Options> {
  return { ...options, given: undefined };
}

function assertUsage(action: () => unknown, message: string | RegExp, label: string): void {
  assert.throws(
    action,
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `${label}: expected a UsageError, got ${String(error)}`);
      if (typeof message === 'string') assert.equal(error.message, message, label);
      else assert.match(error.message, message, label);
      return true;
    },
    label,
  );
}

describe('parsePackageFile: one long option a line', () => {
  const cases: [string, string, OptionLine[]][] = [
    ['nothing but comments and blank lines', '# server\n\n   \n  # indented\n', []],
    [
      'a value after a space',
      '--extras server\n',
      [{ line: 1, option: { long: 'extras', value: 'server' } }],
    ],
    ['a value after =', '--extras=server', [{ line: 1, option: { long: 'extras', value: 'server' } }]],
    [
      'the line numbers count comments and blank lines',
      '# worker\n\n--requirements   requirements/worker.txt  \n--without-pip\n',
      [
        { line: 3, option: { long: 'requirements', value: 'requirements/worker.txt' } },
        { line: 4, option: { long: 'without-pip' } },
      ],
    ],
    [
      'the rest of the line is the value, spaces, quotes and # included',
      '--preinstall importlib-metadata; python_version < "3.10"\n--extra-index-url https://x.example/simple#a',
      [
        { line: 1, option: { long: 'preinstall', value: 'importlib-metadata; python_version < "3.10"' } },
        { line: 2, option: { long: 'extra-index-url', value: 'https://x.example/simple#a' } },
      ],
    ],
    [
      'a value may start with dashes',
      '--extra-pip-arg --no-binary=:all:\n--extra-pip-arg=--prefer-binary',
      [
        { line: 1, option: { long: 'extra-pip-arg', value: '--no-binary=:all:' } },
        { line: 2, option: { long: 'extra-pip-arg', value: '--prefer-binary' } },
      ],
    ],
    ['CRLF line ends', '--extras server\r\n', [{ line: 1, option: { long: 'extras', value: 'server' } }]],
  ];
  for (const [label, text, expected] of cases) {
    test(label, () => assert.deepEqual(parsePackageFile(text, WHERE), expected));
  }
});

describe('parsePackageFile: what is refused, naming the file, the line and the fix', () => {
  const cases: [string, string, string | RegExp][] = [
    [
      'an unknown option',
      '--frobnicate',
      `${WHERE}:1: unknown option --frobnicate; dh_virtualenv --help lists the options`,
    ],
    [
      'the beginning of options: no abbreviations here',
      '# server\n\n--extra server',
      `${WHERE}:3: unknown option --extra; did you mean --extras or --extra-index-url or --extra-pip-arg or ` +
        '--extra-virtualenv-arg?',
    ],
    [
      'an option of the build system only',
      '--buildsystem-step build',
      `${WHERE}:1: unknown option --buildsystem-step; dh_virtualenv --help lists the options`,
    ],
    [
      'a short option',
      '-S',
      `${WHERE}:1: -S: this file takes long options only; write --use-system-packages`,
    ],
    [
      'a word that is no option',
      'extras server',
      `${WHERE}:1: "extras server" is not an option; each line holds one long option, such as --extras NAME`,
    ],
    [
      'package selection',
      '--package hello',
      `${WHERE}:1: --package cannot be set for one package: it selects the packages to act on; give it to ` +
        'dh_virtualenv in debian/rules',
    ],
    ['-N', '--no-package hello-doc', /^debian\/hello\.dh-virtualenv:1: --no-package cannot be set/],
    ['-a', '--arch', /^debian\/hello\.dh-virtualenv:1: --arch cannot be set for one package/],
    ['-i', '--indep', /^debian\/hello\.dh-virtualenv:1: --indep cannot be set for one package/],
    ['--verbose', '--verbose', /:1: --verbose cannot be set for one package: .* or set DH_VERBOSE=1$/],
    ['--help', '--help', /:1: --help cannot be set for one package: it is no build option; remove the line$/],
    ['--version', '--version', /:1: --version cannot be set for one package/],
    [
      'a deprecated option',
      '--pypi-url http://127.0.0.1/simple',
      `${WHERE}:1: --pypi-url is deprecated and not read here; use --index-url`,
    ],
    ['--no-test', '--no-test', /:1: --no-test is deprecated and not read here; remove it/],
    [
      'a flag with a value',
      '--without-pip yes',
      `${WHERE}:1: --without-pip takes no value; write the line as --without-pip alone`,
    ],
    ['a value option without one', '--extras', `${WHERE}:1: --extras needs a value, as in "--extras NAME"`],
    ['an empty value after =', '--requirements=', /:1: --requirements needs a value/],
    ['a value in quotes', '--preinstall "pkg>=1"', /:1: the value of --preinstall is in quotes/],
    ['a value in single quotes', "--python '/usr/bin/python3'", /:1: the value of --python is in quotes/],
  ];
  for (const [label, text, message] of cases) {
    test(label, () => assertUsage(() => parsePackageFile(text, WHERE), message, label));
  }
});

/** A value for each option that takes one, for the test below. */
const SAMPLE_VALUES: Record<string, string> = {
  sourcedirectory: 'src',
  'install-suffix': 'myapp',
  requirements: 'requirements/worker.txt',
  'build-constraints': 'constraints.txt',
  'lock-file': 'uv.lock',
  'lock-group': 'worker',
  extras: 'server',
  preinstall: 'setuptools>=60',
  'pip-tool': 'pip-sync',
  installer: 'uv',
  'upgrade-pip-to': '23.3.1',
  'index-url': 'http://127.0.0.1:8080/simple',
  'extra-index-url': 'http://mirror.example/simple',
  'extra-pip-arg': '--no-deps',
  'extra-virtualenv-arg': '--always-copy',
  python: 'python3.11',
};

describe('packageOptions: every option of the table works in the file as on the command line', () => {
  const perPackage = OPTION_TABLE.filter(
    (spec) => spec.internal !== true && spec.wholeRun === undefined && spec.deprecated === undefined,
  );

  test('each option that takes a value has a sample value here', () => {
    assert.deepEqual(
      perPackage
        .filter((spec) => spec.kind !== 'flag')
        .map((spec) => spec.long)
        .sort(),
      Object.keys(SAMPLE_VALUES).sort(),
    );
  });

  for (const spec of perPackage) {
    const value = SAMPLE_VALUES[spec.long];
    const line = value === undefined ? `--${spec.long}` : `--${spec.long} ${value}`;
    test(line, () => {
      const fromCommandLine = optionsFrom(
        value === undefined ? [`--${spec.long}`] : [`--${spec.long}`, value],
      );
      assert.deepEqual(effect(withFile([], line)), effect(fromCommandLine));
      assert.notDeepEqual(effect(fromCommandLine), effect(optionsFrom([])), 'the option changes something');
    });
  }

  test('the only options a file cannot set are those the table marks', () => {
    assert.deepEqual(
      OPTION_TABLE.filter((spec) => spec.wholeRun !== undefined).map((spec) => spec.long),
      ['package', 'no-package', 'arch', 'indep', 'verbose', 'help', 'version'],
    );
  });
});

describe('packageOptions: the file is read after the command line', () => {
  const cases: [string, string[], string, (o: Options) => unknown, unknown][] = [
    [
      'a single value of the file wins',
      ['--requirements', 'requirements.txt'],
      '--requirements requirements/worker.txt',
      (o) => o.requirements,
      { file: 'requirements/worker.txt', explicit: true },
    ],
    [
      '--index-url',
      ['--index-url=http://a/simple'],
      '--index-url http://b/simple',
      (o) => o.indexUrl,
      'http://b/simple',
    ],
    ['--installer', ['--installer=uv'], '--installer pip', (o) => o.installer, 'pip'],
    [
      'the last line of the file wins',
      [],
      '--python python3.10\n--python python3.11',
      (o) => o.python,
      'python3.11',
    ],
    [
      "repeatable options: the file's are added after the command line's",
      ['--extras=postgres', '--extra-pip-arg=--no-cache-dir'],
      '--extras server\n--extra-pip-arg --prefer-binary',
      (o) => [o.extras, o.extraPipArgs],
      [
        ['postgres', 'server'],
        ['--no-cache-dir', '--prefer-binary'],
      ],
    ],
    ['--lock-group', ['--lock-group=main'], '--lock-group worker', (o) => o.lockGroups, ['main', 'worker']],
    [
      'a flag of the command line stays on',
      ['--without-pip'],
      '--extras server',
      (o) => [o.withoutPip, o.extras],
      [true, ['server']],
    ],
    ['a flag of the file is on', [], '--ship-byte-code', (o) => o.shipByteCode, true],
    ['--noscripts', [], '--noscripts', (o) => o.autoscripts, false],
    [
      '--upgrade-pip-to of the file wins over --upgrade-pip',
      ['--upgrade-pip'],
      '--upgrade-pip-to 23.3.1',
      (o) => o.upgradePip,
      { kind: 'version', version: '23.3.1' },
    ],
    [
      '--sourcedirectory of the file wins over dh -O',
      ['-O--sourcedirectory=server'],
      '--sourcedirectory worker',
      (o) => o.sourceDirectory,
      'worker',
    ],
    [
      'whole-run options of the command line hold',
      ['-v', '-p', 'hello'],
      '--extras server',
      (o) => [o.verbose, o.packages],
      [true, ['hello']],
    ],
    ['an empty file changes nothing', ['--extras=a'], '# nothing\n', (o) => o.extras, ['a']],
  ];
  for (const [label, argv, text, shows, expected] of cases) {
    test(label, () => assert.deepEqual(shows(withFile(argv, text)), expected));
  }

  test('DEB_BUILD_OPTIONS=nocheck still stops --setuptools-test from the file', () => {
    assert.equal(withFile([], '--setuptools-test', { DEB_BUILD_OPTIONS: 'nocheck' }).runTests, false);
    assert.equal(withFile([], '--setuptools-test').runTests, true);
  });

  test('the result is frozen, and the command line is kept in order before the file', () => {
    const options = withFile(['--extras=a'], '--extras b');
    assert.ok(Object.isFrozen(options));
    assert.deepEqual(options.given, [
      { long: 'extras', value: 'a' },
      { long: 'extras', value: 'b' },
    ]);
  });
});

describe('packageOptions: an invalid value or combination names the line that made it', () => {
  const cases: [string, string[], string, string | RegExp][] = [
    ['a bad value', [], '# uv\n--installer pipx', `${WHERE}:2: --installer "pipx": expected one of pip, uv`],
    [
      'a bad version',
      [],
      '--upgrade-pip-to x!',
      /^debian\/hello\.dh-virtualenv:1: --upgrade-pip-to "x!" is not a version/,
    ],
    [
      'a conflict with debian/rules',
      ['--installer=uv'],
      '--extras server\n--pip-tool pip-sync',
      `${WHERE}:2: --installer uv and --pip-tool cannot be used together; uv installs the requirements itself; ` +
        'drop one of them',
    ],
    [
      'a conflict inside the file',
      [],
      '--without-pip\n--upgrade-pip',
      /^debian\/hello\.dh-virtualenv:2: --without-pip and --upgrade-pip/,
    ],
    [
      '--setuptools with --builtin-venv',
      ['--builtin-venv'],
      '--setuptools',
      /:1: --setuptools and --builtin-venv/,
    ],
    [
      'an install suffix that leaves the root',
      [],
      '--install-suffix ../etc',
      /:1: --install-suffix "\.\.\/etc" must be/,
    ],
  ];
  for (const [label, argv, text, message] of cases) {
    test(label, () => assertUsage(() => withFile(argv, text), message, label));
  }
});

describe("debhelper's file names", () => {
  const host = () => ({ arch: 'amd64', os: 'linux' });
  const cases: [string, string, string | undefined, typeof host | undefined, string[]][] = [
    ['a package', 'hello-worker', 'hello-server', undefined, ['debian/hello-worker.dh-virtualenv']],
    [
      'the main package (first in debian/control) also reads debian/dh-virtualenv',
      'hello-server',
      'hello-server',
      undefined,
      ['debian/hello-server.dh-virtualenv', 'debian/dh-virtualenv'],
    ],
    [
      'architecture and OS variants first, when some exist',
      'hello',
      'hello',
      host,
      [
        'debian/hello.dh-virtualenv.amd64',
        'debian/hello.dh-virtualenv.linux',
        'debian/hello.dh-virtualenv',
        'debian/dh-virtualenv',
      ],
    ],
  ];
  for (const [label, packageName, main, hostArch, expected] of cases) {
    test(label, () => assert.deepEqual(packageFileCandidates(packageName, main, hostArch), expected));
  }

  test('the binary packages of debian/control, in order', () => {
    const control = [
      'Source: hello',
      'Build-Depends: debhelper-compat (= 13)',
      '',
      '# Package: commented-out',
      'Package: hello-server',
      'Description: x',
      ' Package: in a description',
      '',
      'package:hello-worker',
    ].join('\n');
    assert.deepEqual(binaryPackagesOf(control), ['hello-server', 'hello-worker']);
  });

  test('files naming no package of debian/control', () => {
    const files = [
      'control',
      'hello-server.dh-virtualenv',
      'hello-sever.dh-virtualenv',
      'hello-worker.dh-virtualenv.amd64',
      'helo.dh-virtualenv.linux',
      'dh-virtualenv',
      'hello-server.install',
    ];
    assert.deepEqual(strayPackageFiles(files, ['hello-server', 'hello-worker']), [
      'hello-sever.dh-virtualenv',
      'helo.dh-virtualenv.linux',
    ]);
  });
});

describe('optionsOfPackages', () => {
  function source(files: Record<string, string>, packages = ['hello-server', 'hello-worker']) {
    const cwd = tempDir('package-options');
    const control = ['Source: hello', '', ...packages.map((name) => `Package: ${name}\n`)].join('\n');
    writeFile(join(cwd, 'debian/control'), control);
    for (const [name, text] of Object.entries(files)) writeFile(join(cwd, 'debian', name), text);
    const runner = recordingRunner((argv) => (argv[1] === '-qDEB_HOST_ARCH' ? 'amd64' : 'linux'));
    const logger = recordingLogger();
    const options = optionsFrom(['--extras=common']);
    const run = (selected: readonly string[] = packages) =>
      new Map(
        optionsOfPackages({ options, runner, logger, hostEnv: {}, cwd }, selected).map((entry) => [
          entry.packageName,
          entry.options,
        ]),
      );
    return { options, runner, logger, run };
  }

  test('each package gets its own file; without one, the command line alone', () => {
    const pkg = source({ 'hello-server.dh-virtualenv': '--extras server\n' });
    const got = pkg.run();
    assert.deepEqual(got.get('hello-server')?.extras, ['common', 'server']);
    assert.equal(got.get('hello-worker'), pkg.options);
    assert.deepEqual(pkg.runner.calls, [], 'no architecture asked for without an architecture-specific file');
    assert.deepEqual(pkg.logger.entries, [
      {
        kind: 'progress',
        packageName: 'hello-server',
        message: 'options from debian/hello-server.dh-virtualenv: --extras=server',
      },
    ]);
  });

  test("debian/dh-virtualenv is the main package's, unless it has a file of its own", () => {
    const plain = source({ 'dh-virtualenv': '--extras main\n' }).run();
    assert.deepEqual(plain.get('hello-server')?.extras, ['common', 'main']);
    assert.deepEqual(plain.get('hello-worker')?.extras, ['common']);
    const own = source({
      'dh-virtualenv': '--extras main\n',
      'hello-server.dh-virtualenv': '--extras own\n',
    });
    assert.deepEqual(own.run().get('hello-server')?.extras, ['common', 'own']);
    // The main package is the first of debian/control, whether it is acted on or not.
    const workerOnly = source({ 'dh-virtualenv': '--extras main\n' }).run(['hello-worker']);
    assert.deepEqual(workerOnly.get('hello-worker')?.extras, ['common']);
    const alone = source({ 'dh-virtualenv': '--extras main\n' }, ['hello']);
    assert.deepEqual(alone.run().get('hello')?.extras, ['common', 'main']);
  });

  test('an architecture-specific file wins, the architecture asked of dpkg-architecture', () => {
    const pkg = source({
      'hello-server.dh-virtualenv': '--extras any\n',
      'hello-server.dh-virtualenv.amd64': '--extras amd64\n',
      'hello-worker.dh-virtualenv.linux': '--extras linux\n',
      'hello-worker.dh-virtualenv.arm64': '--extras arm64\n',
    });
    const got = pkg.run();
    assert.deepEqual(got.get('hello-server')?.extras, ['common', 'amd64']);
    assert.deepEqual(got.get('hello-worker')?.extras, ['common', 'linux']);
    assert.deepEqual(
      pkg.runner.calls.map((call) => call.argv),
      [
        ['dpkg-architecture', '-qDEB_HOST_ARCH'],
        ['dpkg-architecture', '-qDEB_HOST_ARCH_OS'],
      ],
    );
  });

  test('a file for a package not acted on is not read; one naming no package gets a warning', () => {
    const pkg = source({
      'hello-worker.dh-virtualenv': '--frobnicate\n',
      'hello-wroker.dh-virtualenv': '--extras worker\n',
    });
    assert.deepEqual(pkg.run(['hello-server']).get('hello-server')?.extras, ['common']);
    assert.deepEqual(pkg.logger.entries, [
      {
        kind: 'warning',
        message:
          'debian/hello-wroker.dh-virtualenv is not read: debian/control has no binary package of that name',
      },
    ]);
  });

  test('an error in a file stops before any package is built, naming it', () => {
    const pkg = source({ 'hello-worker.dh-virtualenv': '--extras server\n--frobnicate\n' });
    assertUsage(
      () => pkg.run(),
      'debian/hello-worker.dh-virtualenv:2: unknown option --frobnicate; dh_virtualenv --help lists the options',
      'unknown option',
    );
  });
});
