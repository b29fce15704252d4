/** `dh-virtualenv vendor` as the dispatcher (../subcommand.ts) sees it: its help, options and action. */
import type { Subcommand } from '../subcommand';
import { resolveVendorOptions, VENDOR_OPTIONS } from './options';
import { runVendor } from './vendor';

export const vendorSubcommand: Subcommand = {
  name: 'vendor',
  summary:
    'Fetch every distribution the package build needs into debian/wheelhouse, with a lock of their hashes.',
  description: [
    'Run in the top directory of a source package that builds with dh_virtualenv, vendor fetches what the ' +
      'build installs (the requirements files, the dependencies of the project and its extras) and what ' +
      'building it takes (the build requirements of the project and of every sdist), for the interpreter ' +
      'and machine the package is built on, into debian/wheelhouse/. debian/wheelhouse/lock.toml lists each ' +
      'file with its name, version and sha256.',
    'When debian/wheelhouse/lock.toml exists, dh_virtualenv builds from those files alone, without a ' +
      'package index and so without network (sbuild, pbuilder), and stops if a file is missing, changed or ' +
      'not listed in the lock.',
    'Run again, vendor keeps every locked version (a run with nothing changed changes nothing) and fetches ' +
      'only what changed requirements need; --upgrade NAME lets one distribution move. It prints what ' +
      'changed, for review before the wheelhouse is committed.',
  ],
  options: VENDOR_OPTIONS,
  examples: [
    {
      text: 'Vendor the requirements and the project; the build then needs no network:',
      lines: ['dh-virtualenv vendor', 'dpkg-buildpackage -us -uc -b'],
    },
    {
      text: 'Move requests to its newest version the requirements allow, nothing else:',
      lines: ['dh-virtualenv vendor --upgrade requests', 'git diff debian/wheelhouse/lock.toml'],
    },
  ],
  run: (context) =>
    runVendor({
      options: resolveVendorOptions(context.words, context.env),
      runner: context.runner,
      logger: context.logger,
      env: context.env,
      packageDir: context.cwd,
    }),
};
