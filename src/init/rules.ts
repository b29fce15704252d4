/**
 * debian/rules: dh with the python-virtualenv add-on (turned on by Build-Depends), dh_virtualenv's leanest
 * venv, and the faster builds that are a choice rather than a default, as comments.
 */
import { comment, writtenBy } from './comments';
import type { PackagePlan } from './plan';

export function rulesFile(plan: PackagePlan): string {
  const dhVirtualenv = [
    'dh_virtualenv',
    '--without-pip',
    ...(plan.python === undefined ? [] : ['--python', plan.python]),
  ];
  const lines = [
    '#!/usr/bin/make -f',
    ...comment(writtenBy(plan.origin)),
    ...comment(
      'dh-sequence-python-virtualenv in Build-Depends adds dh_virtualenv to the sequence: it builds a virtualenv ' +
        `holding ${plan.projectName} and the Python packages it needs into ${plan.venvDir}.`,
    ),
    ...(plan.installRoot === undefined
      ? []
      : [
          ...comment(`The virtualenv goes under ${plan.installRoot} instead of /opt/venvs.`),
          `export DH_VIRTUALENV_INSTALL_ROOT = ${plan.installRoot}`,
        ]),
    '',
    '%:',
    '\tdh $@',
    '',
    ...comment(
      '--without-pip: the virtualenv ships without pip, setuptools and wheel (about 10 MB less), which the application ' +
        "does not use at run time; the build runs pip from Debian's pip wheel instead.",
    ),
    ...(plan.python === undefined
      ? []
      : comment(`--python ${plan.python}: the interpreter the virtualenv runs.`)),
    ...comment(
      'For a faster build, add "--installer uv" (uv installs the same files much faster) where uv is on the build ' +
        "machine's PATH.",
    ),
    'override_dh_virtualenv:',
    `\t${dhVirtualenv.join(' ')}`,
    '',
    ...comment(
      'The .deb is compressed with xz, which every dpkg and every repository accepts. zstd compresses it several ' +
        "times faster, and dpkg reads it since Debian 12 and Ubuntu 18.04, but some repositories (Debian's own " +
        'archive, older reprepro and aptly) refuse it. To build with zstd, remove the "#" of the next two lines:',
    ),
    '#override_dh_builddeb:',
    '#\tdh_builddeb -- -Zzstd',
  ];
  return lines.join('\n') + '\n';
}
