/**
 * The options of `dh-virtualenv vendor`. Those that decide what the build installs are dh_virtualenv's own
 * (the same rows of option-table.ts, so the same words mean the same thing): given to vendor as they are given
 * to dh_virtualenv in debian/rules, they are parsed by dh_virtualenv's parser, and each package's
 * debian/<package>.dh-virtualenv is read after them as in the build. Vendor's own options say which locked
 * distributions may move and what else to fetch.
 */
import { UsageError } from '../core/errors';
import { OPTION_TABLE, type OptionSpec } from '../core/option-table';
import type { ParsedWords } from '../subcommand';
import { normalizeName } from '../init/requirements';

/** dh_virtualenv's options that change which distributions a build installs or builds with. */
const BUILD_INPUTS = [
  'sourcedirectory',
  'requirements',
  'build-constraints',
  'lock-file',
  'lock-group',
  'extras',
  'preinstall',
  'skip-install',
  'upgrade-pip',
  'upgrade-pip-to',
  'python',
  'installer',
  'index-url',
  'extra-index-url',
];

const VENDOR_OWN: readonly OptionSpec[] = [
  {
    long: 'include',
    kind: 'list',
    metavar: 'REQUIREMENT',
    help:
      'One more requirement to vendor, for what the build installs that no option above says, such as ' +
      '"setuptools==69.5.1" for --upgrade-setuptools-to; repeatable.',
  },
  {
    long: 'upgrade',
    kind: 'list',
    metavar: 'NAME',
    help:
      'Let the distribution NAME move to the newest version the requirements allow (the others stay as ' +
      'locked); repeatable.',
  },
  {
    long: 'upgrade-all',
    kind: 'flag',
    help: 'Resolve everything afresh, as if nothing were locked.',
  },
];

function dhVirtualenvRow(long: string): OptionSpec {
  const spec = OPTION_TABLE.find((candidate) => candidate.long === long);
  if (spec === undefined) throw new Error(`internal error: dh_virtualenv has no option --${long}`);
  return { ...spec, help: `As dh_virtualenv: ${spec.help}` };
}

export const VENDOR_OPTIONS: readonly OptionSpec[] = [...BUILD_INPUTS.map(dhVirtualenvRow), ...VENDOR_OWN];

export interface VendorOptions {
  /** dh_virtualenv's options as words for its parser, in the order given. */
  readonly buildArgs: readonly string[];
  readonly include: readonly string[];
  /** Normalized names allowed to move, or every one. */
  readonly upgrade: ReadonlySet<string> | 'all';
  readonly verbose: boolean;
}

/** The dh_virtualenv options among the words, written back as `--name` and `--name=value`. */
function buildArgsOf(words: ParsedWords): string[] {
  return BUILD_INPUTS.flatMap((long) => [
    ...(words.flags.has(long) ? [`--${long}`] : []),
    ...(words.values.has(long) ? [`--${long}=${words.values.get(long) ?? ''}`] : []),
    ...(words.lists.get(long) ?? []).map((value) => `--${long}=${value}`),
  ]);
}

export function resolveVendorOptions(
  words: ParsedWords,
  env: Readonly<Record<string, string | undefined>>,
): VendorOptions {
  if (words.operands.length > 0) {
    throw new UsageError(
      `unexpected argument "${words.operands[0] ?? ''}"; give more requirements with --include, and run ` +
        'vendor in the top directory of the source package',
    );
  }
  const list = (name: string): string[] =>
    (words.lists.get(name) ?? []).map((value) => value.trim()).filter((value) => value !== '');
  const upgrades = list('upgrade');
  if (upgrades.length > 0 && words.flags.has('upgrade-all')) {
    throw new UsageError('--upgrade NAME and --upgrade-all ask for different things; give one of them');
  }
  return Object.freeze({
    buildArgs: Object.freeze(buildArgsOf(words)),
    include: Object.freeze(list('include')),
    upgrade: words.flags.has('upgrade-all') ? 'all' : new Set(upgrades.map(normalizeName)),
    verbose: words.flags.has('verbose') || env.DH_VERBOSE === '1',
  });
}
