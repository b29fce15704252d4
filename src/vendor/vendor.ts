/**
 * `dh-virtualenv vendor`: fetches every distribution file the package build needs into debian/wheelhouse/ and
 * records each in debian/wheelhouse/lock.toml (wheelhouse.ts), so that dh_virtualenv later builds from them
 * alone. Locked versions stay where they are unless --upgrade lets one move; a run that changes nothing
 * writes nothing. The files are first fetched into a temporary directory, and the wheelhouse is only updated
 * once everything was found, the lock last: an interrupted run leaves a wheelhouse that the build rejects and
 * that the next run repairs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from '../build/child-environment';
import { ConfigurationError, UsageError } from '../core/errors';
import { findInterpreter, type Interpreter } from '../core/interpreter';
import { LOCK_FILE, readLock, type WheelhouseLock } from '../build/wheelhouse';
import { indexArguments, unknownUpgrades } from './downloads';
import type { VendorContext } from './context';
import { fetchAll } from './fetch';
import { allInputs, buildOptions } from './inputs';
import { updateWheelhouse } from './update';

/** Python version and platform the wheels are chosen for, as the interpreter reports them. */
function probeTarget(context: VendorContext, python: Interpreter): { python: string; platform: string } {
  const probe =
    'import sys, sysconfig; print("%d.%d" % sys.version_info[:2]); print(sysconfig.get_platform())';
  const output = context.runner.capture([python.path, '-c', probe], {
    env: childEnvironment(context.env).env,
  });
  const [version = '', platform = ''] = output.split('\n').map((line) => line.trim());
  return { python: version, platform };
}

export function runVendor(context: VendorContext): void {
  const { options, packageDir } = context;
  if (!existsSync(join(packageDir, 'debian', 'control'))) {
    throw new ConfigurationError(
      `no debian/control in ${packageDir}: run "dh-virtualenv vendor" in the top directory of the source ` +
        'package ("dh-virtualenv init" writes a debian/ for a project that has none)',
    );
  }
  const previous = readLock(packageDir);
  const unknown = unknownUpgrades(previous, options.upgrade);
  if (unknown.length > 0) {
    throw new UsageError(
      `--upgrade ${unknown.join(', ')}: not in ${LOCK_FILE}, so there is nothing to move; check the name ` +
        '(a new requirement is vendored without --upgrade)',
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'dh-virtualenv-vendor-'));
  try {
    const given = buildOptions(context);
    const inputs = allInputs(context, given, work);
    const python = inputs[0]?.python ?? findInterpreter(given.python, context.env.PATH);
    const index = indexArguments(given.indexUrl, given.extraIndexUrls);
    const fetched = fetchAll(context, { inputs, previous, work, python, index });
    const next: WheelhouseLock = { ...probeTarget(context, python), files: fetched };
    updateWheelhouse(context, join(work, 'files'), previous, next);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
