/**
 * `dh-virtualenv init`, step by step, as a debhelper command reads: refuse an existing debian/, read the
 * project, decide everything, render every file, write them once.
 */
import { debianFiles } from './files';
import type { InitContext } from './options';
import { planPackage } from './plan';
import { readProject } from './project';
import { refuseExistingDebian, writeDebianFiles } from './write';

export function runInit(context: InitContext): void {
  refuseExistingDebian(context.projectDir, context.options.force);
  const metadata = readProject(context);
  context.logger.log({ kind: 'detail', message: `metadata from ${metadata.origin}` });
  const plan = planPackage(context, metadata);
  for (const message of plan.warnings) context.logger.log({ kind: 'warning', message });
  writeDebianFiles(context.projectDir, debianFiles(plan), context.logger, plan.packageName);
  context.logger.log({
    kind: 'progress',
    packageName: plan.packageName,
    message: `${plan.packageName} ${plan.version}, Architecture: ${plan.architecture}; build it with "dpkg-buildpackage -us -uc -b"`,
  });
}
