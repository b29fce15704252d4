import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import {
  checkNoEditableRequirements,
  checkProject,
  pipInstaller,
  pipSteps,
  requirementsPath,
  setupPyTestUnavailable,
  testStep,
  unpinnedVcsRequirements,
  uvInstaller,
} from '../../../src/build/installs';
import { packageLayout } from '../../../src/build/layout';
import { optionsFrom, tempDir, writeFile } from '../helpers';

/** A source package directory with the given files, and what pipSteps makes of it for this command line. */
function stepsFor(files: readonly string[], argv: readonly string[]) {
  const cwd = tempDir('source');
  for (const file of files) writeFile(join(cwd, file), '');
  const options = optionsFrom(argv);
  const layout = packageLayout('hello', options, cwd);
  const bin = join(layout.stagingDir, 'bin');
  return {
    cwd,
    layout,
    options,
    python: join(bin, 'python'),
    bin,
    steps: () => pipSteps(layout, options, pipInstaller(layout)),
  };
}

describe('pipSteps', () => {
  test('--installer uv with PIP_NO_INDEX on the host: uv gets --no-index, as it reads no variable for it', () => {
    const { layout, python } = stepsFor(['setup.py'], ['--installer', 'uv']);
    assert.deepEqual(uvInstaller(layout, '/usr/bin/uv', true).installFlags, [
      '--python',
      python,
      '--no-index',
    ]);
    assert.deepEqual(uvInstaller(layout, '/usr/bin/uv').installFlags, ['--python', python]);
  });

  test('index URLs with credentials go to the environment, never the command line', () => {
    const secret = 'https://user:s3cret@pypi.example.org/simple';
    const { layout, options } = stepsFor(
      ['setup.py'],
      [
        `--index-url=${secret}`,
        '--extra-index-url=https://mirror.example.org/simple',
        '--extra-index-url=https://TOKEN@private.example.org/simple',
      ],
    );
    for (const [installer, index, extra] of [
      [pipInstaller(layout), 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL'],
      [uvInstaller(layout, '/usr/bin/uv'), 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL'],
    ] as const) {
      const [project] = pipSteps(layout, options, installer);
      assert.ok(project !== undefined);
      assert.ok(!project.argv.some((word) => word.includes('@')), project.argv.join(' '));
      assert.deepEqual(project.env, {
        [index]: secret,
        [extra]: 'https://mirror.example.org/simple https://TOKEN@private.example.org/simple',
      });
    }
    // Without credentials, the words stay on the command line, where a verbose log shows them.
    const plain = stepsFor(['setup.py'], ['--index-url=https://pypi.example.org/simple']);
    const [step] = pipSteps(plain.layout, plain.options, pipInstaller(plain.layout));
    assert.deepEqual(step?.argv, [
      plain.python,
      '-m',
      'pip',
      'install',
      '--no-compile',
      '--index-url=https://pypi.example.org/simple',
      '.',
    ]);
    assert.equal(step?.env, undefined);
  });

  test('--installer uv: uv pip install --python <venv python>, with the index options and no --no-compile', () => {
    const { cwd, layout, options, python } = stepsFor(
      ['requirements.txt', 'setup.py'],
      [
        '--installer',
        'uv',
        '--index-url=http://127.0.0.1:1/simple',
        '--extra-pip-arg=--prefer-binary',
        '--upgrade-pip',
      ],
    );
    const install = [
      '/usr/local/bin/uv',
      'pip',
      'install',
      '--python',
      python,
      '--index-url=http://127.0.0.1:1/simple',
    ];
    assert.deepEqual(
      pipSteps(layout, options, uvInstaller(layout, '/usr/local/bin/uv')).map((step) => [
        step.step,
        step.argv,
        step.cwd,
      ]),
      [
        ['upgrading pip', [...install, '-U', 'pip'], undefined],
        [
          'installing requirements.txt',
          [...install, '--prefer-binary', '-r', join(cwd, 'requirements.txt')],
          undefined,
        ],
        ['installing the project', [...install, '--prefer-binary', '.'], cwd],
      ],
    );
  });

  test('--without-pip: pip runs from the wheel it is given, with the venv interpreter, still without compiling', () => {
    const { cwd, layout, options, python } = stepsFor(
      ['requirements.txt', 'setup.py'],
      ['--without-pip', '--preinstall', 'six'],
    );
    const pip = '/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl/pip';
    assert.deepEqual(
      pipSteps(layout, options, pipInstaller(layout, pip)).map((step) => step.argv),
      [
        [python, pip, 'install', '--no-compile', 'six'],
        [python, pip, 'install', '--no-compile', '-r', join(cwd, 'requirements.txt')],
        [python, pip, 'install', '--no-compile', '.'],
      ],
    );
  });

  test('by default: the requirements file, then the project, with pip run as python -m pip', () => {
    const { cwd, python, steps } = stepsFor(['requirements.txt', 'setup.py'], []);
    assert.deepEqual(steps(), [
      {
        phase: 'prepare',
        step: 'installing requirements.txt',
        argv: [python, '-m', 'pip', 'install', '--no-compile', '-r', join(cwd, 'requirements.txt')],
      },
      {
        phase: 'project',
        step: 'installing the project',
        argv: [python, '-m', 'pip', 'install', '--no-compile', '.'],
        cwd,
      },
    ]);
  });

  test('the order is upgrade pip, preinstall, requirements, project; only the upgrade goes without extra pip args', () => {
    const { cwd, python, bin, steps } = stepsFor(
      ['requirements.txt', 'pyproject.toml'],
      [
        '--upgrade-pip',
        '--preinstall=setuptools>=60',
        '--preinstall',
        'wheel',
        '--extra-pip-arg=--no-deps',
        '--extra-pip-arg',
        '--prefer-binary',
        '--index-url=http://127.0.0.1:8080/simple',
        '--extra-index-url=http://mirror/simple',
        '--pip-tool=pip-custom-platform',
        '--extras=a',
        '--extras=b',
        '-v',
      ],
    );
    const pip = [python, '-m', 'pip', 'install', '--no-compile'];
    const tool = [python, join(bin, 'pip-custom-platform'), 'install'];
    const index = [
      '-v',
      '--index-url=http://127.0.0.1:8080/simple',
      '--extra-index-url=http://mirror/simple',
    ];
    const extra = ['--no-deps', '--prefer-binary'];
    assert.deepEqual(steps(), [
      { phase: 'prepare', step: 'upgrading pip', argv: [...pip, ...index, '-U', 'pip'] },
      {
        phase: 'prepare',
        step: 'installing --preinstall packages',
        argv: [...pip, ...index, ...extra, 'setuptools>=60', 'wheel'],
      },
      {
        phase: 'prepare',
        step: 'installing requirements.txt',
        argv: [...tool, ...index, ...extra, '-r', join(cwd, 'requirements.txt')],
      },
      {
        phase: 'project',
        step: 'installing the project',
        argv: [...tool, ...index, ...extra, '.[a,b]'],
        cwd,
      },
    ]);
  });

  test('what each option changes', () => {
    // [files, argv, the argv of each step]
    const cases: [string[], string[], (python: string, cwd: string) => string[][]][] = [
      [['setup.py'], [], (py) => [[py, '-m', 'pip', 'install', '--no-compile', '.']]],
      [['setup.py'], ['-v'], (py) => [[py, '-m', 'pip', 'install', '--no-compile', '-v', '.']]],
      [['setup.py'], ['--extras=tests'], (py) => [[py, '-m', 'pip', 'install', '--no-compile', '.[tests]']]],
      [
        ['setup.py'],
        ['--upgrade-pip-to=23.3.1', '--extra-pip-arg=--no-deps'],
        (py) => [
          [py, '-m', 'pip', 'install', '--no-compile', 'pip==23.3.1'],
          [py, '-m', 'pip', 'install', '--no-compile', '--no-deps', '.'],
        ],
      ],
      [
        ['requirements.txt'],
        ['--skip-install'],
        (py, cwd) => [[py, '-m', 'pip', 'install', '--no-compile', '-r', join(cwd, 'requirements.txt')]],
      ],
      [[], ['--skip-install'], () => []],
      [
        ['requirements/prod.txt', 'requirements.txt'],
        ['--requirements=requirements/prod.txt', '--skip-install'],
        (py, cwd) => [[py, '-m', 'pip', 'install', '--no-compile', '-r', join(cwd, 'requirements/prod.txt')]],
      ],
      [
        ['python/requirements.txt', 'requirements.txt'],
        ['-Dpython', '--skip-install'],
        (py, cwd) => [
          [py, '-m', 'pip', 'install', '--no-compile', '-r', join(cwd, 'python/requirements.txt')],
        ],
      ],
    ];
    for (const [files, argv, expected] of cases) {
      const { cwd, python, steps } = stepsFor(files, argv);
      assert.deepEqual(
        steps().map((step) => step.argv),
        expected(python, cwd),
        argv.join(' '),
      );
    }
  });

  test('build-system mode: DH_UPGRADE_PIP, _SETUPTOOLS and _WHEEL upgrade in that order, before the rest', () => {
    const cwd = tempDir('source');
    writeFile(join(cwd, 'setup.py'), '');
    const argv = ['--buildsystem-step=build', '--source-package=hello', '--builddirectory=obj'];
    const env = {
      DH_UPGRADE_WHEEL: '0.42.0',
      DH_UPGRADE_PIP: '',
      DH_UPGRADE_SETUPTOOLS: '',
      DH_PIP_EXTRA_ARGS: '--no-deps',
    };
    const options = optionsFrom(argv, env);
    const layout = packageLayout('hello', options, cwd);
    const pip = [join(layout.stagingDir, 'bin/python'), '-m', 'pip', 'install', '--no-compile'];
    assert.deepEqual(
      pipSteps(layout, options, pipInstaller(layout)).map((step) => [step.phase, step.step, step.argv]),
      [
        ['prepare', 'upgrading pip', [...pip, '-U', 'pip']],
        ['prepare', 'upgrading setuptools', [...pip, '-U', 'setuptools']],
        ['prepare', 'upgrading wheel', [...pip, 'wheel==0.42.0']],
        ['project', 'installing the project', [...pip, '--no-deps', '.']],
      ],
    );
  });

  test('the project is installed from the source directory', () => {
    const { cwd, steps } = stepsFor(['python/setup.py'], ['--sourcedirectory=python']);
    assert.deepEqual(
      steps().map((step) => step.cwd),
      [join(cwd, 'python')],
    );
  });

  test('a missing requirements.txt is skipped; a missing --requirements file is an error', () => {
    assert.equal(stepsFor([], []).steps().length, 1);
    const { layout, options } = stepsFor(['requirements.txt'], ['--requirements=reqs.txt']);
    assert.equal(requirementsPath(layout, optionsFrom([])), join(layout.sourceDir, 'requirements.txt'));
    assert.throws(
      () => pipSteps(layout, options, pipInstaller(layout)),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.includes('--requirements reqs.txt') &&
        error.message.includes(join(layout.sourceDir, 'reqs.txt')),
    );
  });
});

describe('testStep', () => {
  test('runs setup.py test in the source directory, only for setup.py projects', () => {
    const withSetupPy = stepsFor(['setup.py'], []);
    assert.deepEqual(testStep(withSetupPy.layout), {
      phase: 'project',
      step: 'running setup.py test',
      argv: [withSetupPy.python, 'setup.py', 'test'],
      cwd: withSetupPy.cwd,
    });
    assert.equal(testStep(stepsFor(['pyproject.toml'], []).layout), undefined);
    assert.equal(testStep(stepsFor(['setup.py'], ['-Dsub']).layout), undefined);
  });
});

describe('setupPyTestUnavailable', () => {
  // [setuptools version the venv reports ('' for none), why setup.py test cannot run, or undefined]
  const cases: [string, string | undefined][] = [
    ['66.1.1', undefined], // Debian 12's virtualenv seeds it
    ['71.1.0', undefined],
    ['', 'the virtualenv has no setuptools'], // Python 3.12 and later: none seeded
    ['72.0.0', 'setuptools 72.0.0 has no test command (setuptools 72 removed it)'],
    ['78.1.1', 'setuptools 78.1.1 has no test command (setuptools 72 removed it)'], // Debian 13's
    ['80.9.0.post1', 'setuptools 80.9.0.post1 has no test command (setuptools 72 removed it)'],
    ['unknown', undefined],
  ];
  for (const [version, expected] of cases) {
    test(`setuptools "${version}"`, () => assert.equal(setupPyTestUnavailable(version), expected));
  }
});

test('checkProject: without setup.py or pyproject.toml there is nothing to install, unless --skip-install', () => {
  for (const files of [['setup.py'], ['pyproject.toml'], ['setup.py', 'pyproject.toml']]) {
    const { layout, options } = stepsFor(files, []);
    assert.doesNotThrow(() => checkProject(layout, options), files.join(' '));
  }
  const { layout, options } = stepsFor(['requirements.txt', 'setup.cfg'], []);
  assert.throws(
    () => checkProject(layout, options),
    (error: unknown) =>
      error instanceof ConfigurationError &&
      /no setup\.py or pyproject\.toml in .*--skip-install/.test(error.message),
  );
  const skipping = stepsFor(['requirements.txt'], ['--skip-install']);
  assert.doesNotThrow(() => checkProject(skipping.layout, skipping.options));
});

test('checkNoEditableRequirements: an -e line in the requirements file is named with its line number', () => {
  const { cwd, layout, options } = stepsFor([], []);
  writeFile(join(cwd, 'requirements.txt'), 'six\n# -e is fine in a comment\n  --editable=./lib\n');
  assert.throws(
    () => checkNoEditableRequirements(layout, options),
    (error: unknown) =>
      error instanceof ConfigurationError &&
      /^requirements\.txt:3: "--editable=\.\/lib" is an editable requirement/.test(error.message),
  );
  writeFile(join(cwd, 'requirements.txt'), 'six\n-r other.txt\n');
  assert.doesNotThrow(() => checkNoEditableRequirements(layout, options));
});

test('unpinnedVcsRequirements names each git requirement without a full commit id, by line', () => {
  const sha = 'a'.repeat(40);
  const text = [
    'requests==2.32.3',
    `git+https://git.example.org/lib.git@${sha}#egg=lib`,
    'git+https://git.example.org/tool.git@main#egg=tool',
    'other @ git+https://git.example.org/other.git',
    `pinned @ git+ssh://git@git.example.org/pinned.git@${sha}`,
    '# git+https://git.example.org/commented.git',
    'git+file:///srv/repo@v1.0',
  ].join('\n');
  assert.deepEqual(
    unpinnedVcsRequirements(text, 'requirements.txt').map((message) => message.split(' names')[0]),
    [
      'requirements.txt:3: "git+https://git.example.org/tool.git@main#egg=tool"',
      'requirements.txt:4: "git+https://git.example.org/other.git"',
      'requirements.txt:7: "git+file:///srv/repo@v1.0"',
    ],
  );
});
