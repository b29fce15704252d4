import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import {
  installReportDir,
  parseInstallReport,
  readInstallReports,
  recordedUrl,
  resetInstallReports,
} from '../../../src/build/install-reports';
import { pipInstaller, pipSteps, uvInstaller } from '../../../src/build/installs';
import { packageLayout } from '../../../src/build/layout';
import { optionsFrom, tempDir, writeFile } from '../helpers';

/** One entry of pip's report format 1, as pip 23.0 (hash) or 23.1 and later (hashes) write it. */
function entry(name: string, version: string, downloadInfo: unknown, isDirect = false): unknown {
  return { metadata: { name, version }, is_direct: isDirect, download_info: downloadInfo };
}

test('each pip run writes its report into the build directory, numbered in order; uv and --pip-tool do not', () => {
  const cwd = tempDir('reports');
  writeFile(join(cwd, 'requirements.txt'), 'six\n');
  writeFile(join(cwd, 'setup.py'), '');
  const reports = installReportDir(cwd, 'hello');
  assert.equal(reports, join(cwd, 'debian/.debhelper/dh_virtualenv/hello/install-reports'));
  const argvs = (argv: readonly string[], uv = false): string[][] => {
    const options = optionsFrom(argv);
    const layout = packageLayout('hello', options, cwd);
    const installer = uv ? uvInstaller(layout, '/usr/bin/uv') : pipInstaller(layout);
    return pipSteps(layout, options, installer, { reportDir: reports }).map((step) => [...step.argv]);
  };
  const reportWords = (argv: readonly string[]): string[] => {
    const at = argv.indexOf('--report');
    return at === -1 ? [] : argv.slice(at, at + 4);
  };
  const words = (n: string): string[] => [
    '--report',
    join(reports, `${n}.json`),
    '--log',
    join(reports, `${n}.log`),
  ];
  assert.deepEqual(argvs(['--preinstall', 'wheel']).map(reportWords), [
    words('00'),
    words('01'),
    words('02'),
  ]);
  // The preinstall still runs with pip itself; the tool's runs get no --report, which it may not know.
  assert.deepEqual(argvs(['--preinstall', 'dhvt-piptool', '--pip-tool', 'dhvt-pip']).map(reportWords), [
    words('00'),
    [],
    [],
  ]);
  assert.deepEqual(argvs(['--installer', 'uv'], true).map(reportWords), [[], []]);
});

test('a report gives each distribution its origin: index, URL, VCS, local file or source tree, with hashes', () => {
  const report = JSON.stringify({
    version: '1',
    install: [
      entry('Six', '1.16.0', {
        url: 'https://user:TOKEN@pypi.example.org/files/six-1.16.0-py2.py3-none-any.whl#sha256=abc',
        archive_info: { hash: 'sha256=ABC' },
      }),
      entry(
        'direct_one',
        '2.0',
        { url: 'https://example.org/d-2.0.tar.gz', archive_info: { hashes: { sha256: 'def', md5: '01' } } },
        true,
      ),
      entry(
        'vcs-one',
        '0.1',
        {
          url: 'git+https://token@git.example.org/v.git',
          vcs_info: { vcs: 'git', commit_id: 'f00d' },
        },
        true,
      ),
      entry('local', '1.0', {
        url: 'file:///build/src/wheels/local-1.0.whl',
        archive_info: { hash: 'sha256=aa' },
      }),
      entry('hello', '1.0', { url: 'file:///build/src', dir_info: {} }, true),
      { metadata: { name: 'broken' } },
    ],
  });
  const origins = parseInstallReport(report, 'r.json');
  const plain = Object.fromEntries(
    [...origins].map(([key, origin]) => [key, { ...origin, hashes: Object.fromEntries(origin.hashes) }]),
  );
  assert.deepEqual(plain, {
    six: {
      kind: 'index',
      version: '1.16.0',
      url: 'https://pypi.example.org/files/six-1.16.0-py2.py3-none-any.whl',
      hashes: { sha256: 'abc' },
      commit: undefined,
    },
    'direct-one': {
      kind: 'url',
      version: '2.0',
      url: 'https://example.org/d-2.0.tar.gz',
      hashes: { sha256: 'def', md5: '01' },
      commit: undefined,
    },
    'vcs-one': {
      kind: 'vcs',
      version: '0.1',
      url: 'git+https://git.example.org/v.git',
      hashes: {},
      commit: 'f00d',
    },
    local: {
      kind: 'local file',
      version: '1.0',
      url: undefined,
      hashes: { sha256: 'aa' },
      commit: undefined,
    },
    hello: { kind: 'source tree', version: '1.0', url: undefined, hashes: {}, commit: undefined },
  });
  assert.throws(() => parseInstallReport('{', '/x/00.json'), ConfigurationError);
});

test('recorded URLs keep no credentials, no hash fragment and no local path', () => {
  const cases: [string, string | undefined][] = [
    ['https://user:secret@idx.example/f/a-1.whl#sha256=00ff', 'https://idx.example/f/a-1.whl'],
    ['https://TOKEN@idx.example/f/a-1.whl', 'https://idx.example/f/a-1.whl'],
    ['git+https://git.example/r.git@v1#subdirectory=x', 'git+https://git.example/r.git@v1#subdirectory=x'],
    ['file:///home/me/build/a-1.whl', undefined],
  ];
  for (const [url, recorded] of cases) assert.equal(recordedUrl(url), recorded, url);
});

test('reports are read in the order the runs wrote them: a later run says where the installed copy came from', () => {
  const dir = join(tempDir('merge'), 'install-reports');
  resetInstallReports(dir);
  const write = (name: string, version: string, url: string): void => {
    writeFile(
      join(dir, name),
      JSON.stringify({ install: [entry('pip', version, { url, archive_info: { hash: 'sha256=11' } })] }),
    );
  };
  write('01.json', '25.1', 'https://idx.example/pip-25.1.whl');
  write('00.json', '23.0', 'https://idx.example/pip-23.0.whl');
  assert.equal(readInstallReports(dir).get('pip')?.version, '25.1');
  resetInstallReports(dir);
  assert.equal(readInstallReports(dir).size, 0);
});
