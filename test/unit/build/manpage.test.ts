import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { helpText } from '../../../src/build/help';
import { manpage, optionTerm, roffEscape } from '../../../src/build/manpage';
import { ENVIRONMENT_TABLE, OPTION_TABLE } from '../../../src/core/option-table';

const page = manpage({ version: '2.0.0', date: '2026-11-25' });

/** The page's text with roff's escapes for "-" and "\" undone, as a reader would search it. */
const plain = page.replace(/\\-/g, '-').replace(/\\e/g, '\\');

describe('manpage', () => {
  test('has the header, name and sections of a debhelper command page', () => {
    assert.match(page, /^\.TH DH_VIRTUALENV 1 "2026-11-25" "dh\\-virtualenv 2\.0\.0" "Debhelper"$/m);
    assert.match(page, /^dh_virtualenv \\- /m);
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'ENVIRONMENT', 'EXAMPLES']) {
      assert.match(page, new RegExp(`^\\.SH ${section}$`, 'm'), section);
    }
  });

  test('documents every option of the option table, with its help text', () => {
    for (const spec of OPTION_TABLE) {
      assert.ok(page.includes(`.TP\n${optionTerm(spec)}\n`), `--${spec.long} has no entry`);
      assert.ok(plain.includes(`\\fB--${spec.long}\\fR`), `--${spec.long}`);
      if (spec.short !== undefined) assert.ok(plain.includes(`\\fB-${spec.short}\\fR`), `-${spec.short}`);
      assert.ok(page.includes(roffEscape(spec.help)), `help of --${spec.long}`);
    }
  });

  test('documents every environment variable', () => {
    for (const row of ENVIRONMENT_TABLE) {
      assert.ok(page.includes(`.TP\n\\fB${roffEscape(row.name)}\\fR\n${roffEscape(row.help)}\n`), row.name);
    }
  });

  test('shows every option --help shows, so the two cannot drift apart', () => {
    const helpOptions = [...helpText().matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((match) => match[1]);
    assert.ok(helpOptions.length > 20);
    for (const long of helpOptions) assert.ok(plain.includes(`\\fB--${long}\\fR`), `--${long}`);
  });

  test('FILES documents debian/<package>.dh-virtualenv, with every option it cannot set', () => {
    const files = plain.slice(plain.indexOf('.SH FILES'), plain.indexOf('.SH EXAMPLES'));
    assert.ok(files.includes('.TP\n\\fIdebian/<package>.dh-virtualenv\\fR\n'), files);
    for (const spec of OPTION_TABLE.filter((candidate) => candidate.wholeRun !== undefined)) {
      assert.ok(files.includes(`--${spec.long}`), `--${spec.long}`);
    }
    assert.ok(files.includes('--extras, '), 'the repeatable options are named');
  });

  test('every line starting with a control character is a request', () => {
    const requests = new Set([
      '\\"',
      'TH',
      'SH',
      'SS',
      'PP',
      'TP',
      'IP',
      'RS',
      'RE',
      'nf',
      'fi',
      'B',
      'nh',
      'ad',
    ]);
    for (const line of page.split('\n').filter((text) => /^[.']/.test(text))) {
      assert.ok(requests.has(line.slice(1).split(' ')[0] ?? ''), `not a request: ${line}`);
    }
  });
});

describe('roffEscape', () => {
  const cases: [string, string][] = [
    ['--index-url', '\\-\\-index\\-url'],
    ['C:\\path', 'C:\\epath'],
    ['.hidden', '\\&.hidden'],
    ["'quoted'", "\\&'quoted'"],
    ['a.b', 'a.b'],
    ['PIP_CERT, …', 'PIP_CERT, \\[u2026]'],
    ['\tdh $@', '\tdh $@'],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => assert.equal(roffEscape(input), expected));
  }
});
