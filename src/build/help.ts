import { ENVIRONMENT_TABLE, OPTION_TABLE, type OptionSpec } from '../core/option-table';

export function optionLabel(spec: OptionSpec): string {
  const value = spec.kind === 'flag' ? '' : ` ${spec.metavar ?? 'VALUE'}`;
  return (spec.short === undefined ? '' : `-${spec.short}, `) + `--${spec.long}${value}`;
}

export function rows(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 2;
  return pairs.map(([label, text]) => `  ${label.padEnd(width)}${text}\n`).join('');
}

export function helpText(): string {
  const current = OPTION_TABLE.filter((spec) => spec.deprecated === undefined && spec.internal !== true);
  const deprecated = OPTION_TABLE.filter((spec) => spec.deprecated !== undefined);
  return (
    'Usage: dh_virtualenv [options]\n\n' +
    'Builds a virtualenv with the Python project and its requirements into each binary package, under\n' +
    '/opt/venvs/<package>, with scripts and paths fixed for that location. Run by dh through\n' +
    '"dh $@ --with python-virtualenv". Options can also come from dh as -O--option=value, and for one\n' +
    'binary package from debian/<package>.dh-virtualenv: one long option a line, read after the command line\n' +
    '(see the manual page).\n\n' +
    'Options:\n' +
    rows(current.map((spec) => [optionLabel(spec), spec.help])) +
    '\nDeprecated:\n' +
    rows(deprecated.map((spec) => [optionLabel(spec), `${spec.help} (${spec.deprecated ?? ''})`])) +
    '\nEnvironment:\n' +
    rows(ENVIRONMENT_TABLE.map((row) => [row.name, row.help]))
  );
}

/** dh_virtualenv_shlibdeps reads dh_virtualenv's options but acts only on the package selection ones. */
export function shlibdepsHelpText(): string {
  return (
    'Usage: dh_virtualenv_shlibdeps [-p PACKAGE] [-N PACKAGE] [-a] [-i] [-v]\n\n' +
    'Adds to ${shlibs:Depends} what the shared objects in the venv (files under site-packages/, which\n' +
    'the python-virtualenv sequence keeps away from dh_shlibdeps) need from the system, finding the\n' +
    'libraries binary wheels bundle inside the package. Run by dh right after dh_shlibdeps.\n'
  );
}
