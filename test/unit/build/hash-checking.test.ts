import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { withoutHashOptions } from '../../../src/build/build-constraints';
import { CommandFailedError, ConfigurationError, StepFailedError } from '../../../src/core/errors';
import {
  explainHashFailure,
  hashFailures,
  isHashChecked,
  refuseUncheckedProjectDependencies,
} from '../../../src/build/hash-checking';
import type { Origin } from '../../../src/build/install-reports';
import { pipInstaller, pipSteps, uvInstaller } from '../../../src/build/installs';
import { packageLayout } from '../../../src/build/layout';
import { optionsFrom, tempDir, writeFile } from '../helpers';

const HASH = 'a'.repeat(64);

test('hash-checking mode: a --hash in the requirements, or --require-hashes in them or among the pip arguments', () => {
  const cases: [string, string[], boolean][] = [
    ['six==1.16.0\n', [], false],
    [`six==1.16.0 --hash=sha256:${HASH}\n`, [], true],
    [`six==1.16.0 \\\n    --hash sha256:${HASH}\n`, [], true],
    ['--require-hashes\nsix==1.16.0\n', [], true],
    ['six==1.16.0\n', ['--require-hashes'], true],
    ['# --hash=sha256:x in a comment is no option\nsix  # nor --require-hashes here\n', [], false],
  ];
  for (const [text, args, expected] of cases) assert.equal(isHashChecked(text, args), expected, text);
});

/** pip's log of a refused download, as pip 23.0 and 25.1 write it (one timestamp per line). */
const MISMATCH_LOG = [
  '2026-01-01T00:00:00,001 ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. ...',
  `2026-01-01T00:00:00,001     dhvt-color==2.0 from http://127.0.0.1:8080/files/dhvt_color-2.0-py3-none-any.whl#sha256=${HASH} (from -r /src/requirements.txt (line 2)):`,
  `2026-01-01T00:00:00,001         Expected sha256 ${'0'.repeat(64)}`,
  `2026-01-01T00:00:00,001              Got        ${HASH}`,
  '2026-01-01T00:00:00,001 ',
].join('\n');

const MISSING_LOG = [
  '2026-01-01T00:00:00,001 ERROR: Hashes are required in --require-hashes mode, but they are missing from some requirements. Here is a list of those requirements along with the hashes their downloaded archives actually had. You can add lines like these to your requirements files to pin them down.',
  `2026-01-01T00:00:00,001     dhvt-greet==1.0 --hash=sha256:${HASH}`,
  '2026-01-01T00:00:00,001 Removed build tracker',
].join('\n');

test("pip's log names each refused distribution and both hashes, or the requirements without a hash", () => {
  // pip's log holds the message twice (printed, and under its traceback): each distribution is named once.
  assert.deepEqual(hashFailures(`${MISMATCH_LOG}\n${MISMATCH_LOG}`), [
    `dhvt-color 2.0 (http://127.0.0.1:8080/files/dhvt_color-2.0-py3-none-any.whl) does not match its hash: ` +
      `expected sha256 ${'0'.repeat(64)}, got ${HASH}`,
  ]);
  assert.deepEqual(hashFailures(MISSING_LOG), [
    `dhvt-greet 1.0 has no hash in the requirements (its file has sha256:${HASH})`,
  ]);
  assert.deepEqual(hashFailures('2026-01-01T00:00:00,001 ERROR: No matching distribution found for x\n'), []);
});

test('a failed step whose pip log shows refused hashes becomes an error naming them', () => {
  const log = writeFile(join(tempDir('log'), '01.log'), MISMATCH_LOG);
  const failed = new StepFailedError(
    'hello',
    'installing requirements.txt',
    new CommandFailedError(['python', '-m', 'pip'], 1, null, ''),
  );
  const explained = explainHashFailure(failed, log);
  assert.ok(explained instanceof StepFailedError);
  assert.match(
    explained.message,
    /^hello: installing requirements\.txt failed: dhvt-color 2\.0 \(http:\/\/127\.0\.0\.1:8080\/files\/dhvt_color-2\.0-py3-none-any\.whl\) does not match its hash: expected sha256 0+, got a+$/,
  );
  assert.match(explained.hint ?? '', /tampered/);
  // Without refused hashes in the log (or without a log), the error stays as it was.
  assert.equal(explainHashFailure(failed, writeFile(join(tempDir('log'), '02.log'), 'nothing\n')), failed);
  assert.equal(explainHashFailure(failed, undefined), failed);
});

test('after hash-checked requirements, the project run may install the project only', () => {
  const origin = (kind: Origin['kind'], version: string): Origin => ({
    kind,
    version,
    url: undefined,
    hashes: new Map(),
    commit: undefined,
  });
  refuseUncheckedProjectDependencies(new Map([['hello', origin('source tree', '1.0')]]), 'requirements.txt');
  assert.throws(
    () =>
      refuseUncheckedProjectDependencies(
        new Map([
          ['hello', origin('source tree', '1.0')],
          ['six', origin('index', '1.16.0')],
        ]),
        'requirements.txt',
      ),
    (error: unknown) =>
      error instanceof ConfigurationError &&
      /^the project's install also installed six 1\.16\.0, which requirements\.txt does not list/.test(
        error.message,
      ),
  );
});

test('build constraints lose their hashes for pip, continued lines included', () => {
  const cases: [string, string][] = [
    ['setuptools==66.1.1\n', 'setuptools==66.1.1\n'],
    [`setuptools==66.1.1 --hash=sha256:${HASH}\n`, 'setuptools==66.1.1\n'],
    [
      `setuptools==66.1.1 \\\n    --hash=sha256:${HASH} \\\n    --hash sha256:${HASH}\nwheel==0.38.4\n`,
      'setuptools==66.1.1\nwheel==0.38.4\n',
    ],
  ];
  for (const [given, forPip] of cases) assert.equal(withoutHashOptions(given), forPip, given);
});

test('--require-hashes goes to the requirements run only; build constraints reach pip by PIP_CONSTRAINT, uv by option', () => {
  const cwd = tempDir('hashes');
  writeFile(join(cwd, 'requirements.txt'), 'six\n');
  writeFile(join(cwd, 'setup.py'), '');
  const constraints = { given: join(cwd, 'build.txt'), forPip: join(cwd, 'debian/x/build-constraints.txt') };
  const steps = (argv: readonly string[], uv = false) => {
    const options = optionsFrom(argv);
    const layout = packageLayout('hello', options, cwd);
    const installer = uv ? uvInstaller(layout, '/usr/bin/uv') : pipInstaller(layout);
    return pipSteps(layout, options, installer, { buildConstraints: constraints });
  };
  const pip = steps([
    '--extra-pip-arg=--require-hashes',
    '--extra-pip-arg=--prefer-binary',
    '--preinstall=wheel',
  ]);
  assert.deepEqual(
    pip.map((step) => [
      step.step,
      step.argv.includes('--require-hashes'),
      step.argv.includes('--prefer-binary'),
    ]),
    [
      ['installing --preinstall packages', false, true],
      ['installing requirements.txt', true, true],
      ['installing the project', false, true],
    ],
  );
  for (const step of pip) assert.equal(step.env?.PIP_CONSTRAINT, constraints.forPip);
  for (const step of steps([], true)) {
    assert.equal(step.env, undefined);
    const at = step.argv.indexOf('--build-constraints');
    assert.equal(step.argv[at + 1], constraints.given);
  }
});
