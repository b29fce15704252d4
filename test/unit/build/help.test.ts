import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpText } from '../../../src/build/help';
import { ENVIRONMENT_TABLE, OPTION_TABLE } from '../../../src/core/option-table';

const help = helpText();
const [current = '', deprecated = ''] = help.split('\nDeprecated:\n');

test('--help lists every option of the table with its short form, value name and text', () => {
  for (const spec of OPTION_TABLE.filter((candidate) => candidate.internal !== true)) {
    const value = spec.kind === 'flag' ? '' : ` ${spec.metavar ?? 'VALUE'}`;
    const label = `${spec.short === undefined ? '' : `-${spec.short}, `}--${spec.long}${value}`;
    const section = spec.deprecated === undefined ? current : deprecated;
    const line = section.split('\n').find((row) => row.trimStart().startsWith(`${label} `));
    assert.ok(line !== undefined, `no line for ${label}`);
    assert.ok(line.endsWith(spec.help) || line.includes(`${spec.help} (${spec.deprecated ?? ''})`), line);
  }
});

test('--help puts deprecated options in their own section and lists the environment', () => {
  assert.match(help, /^Usage: dh_virtualenv \[options\]\n/);
  assert.ok(deprecated.includes('--pypi-url URL'));
  assert.ok(!current.includes('--pypi-url'));
  assert.ok(!current.includes('--no-test'));
  for (const row of ENVIRONMENT_TABLE) assert.ok(help.includes(`  ${row.name}  `), row.name);
  assert.ok(help.endsWith('\n'));
});

test("--help leaves out the options only the build system's Perl module passes", () => {
  const internal = OPTION_TABLE.filter((spec) => spec.internal === true);
  assert.ok(internal.length > 0);
  for (const spec of internal) assert.ok(!help.includes(`--${spec.long}`), spec.long);
});
