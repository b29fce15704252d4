/** Every file init writes, rendered from the plan into memory first (write.ts then writes them in one go). */
import { changelogFile } from './changelog';
import { linksFile, manpagesFile, manualPage } from './commands';
import { controlFile } from './control';
import { copyrightFile } from './copyright';
import type { PackagePlan } from './plan';
import { rulesFile } from './rules';
import { postinstFile, postrmFile, unitFile } from './service';

export interface DebianFile {
  /** Relative to debian/, e.g. "source/format". */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/**
 * What `dpkg-buildpackage` leaves in debian/: git need not see it. Written only by init and only in debian/,
 * like everything else.
 */
function gitignoreFile(plan: PackagePlan): string {
  return (
    [
      '/.debhelper/',
      '/debhelper-build-stamp',
      '/files',
      '/*.substvars',
      `/${plan.packageName}/`,
      '/tmp/',
    ].join('\n') + '\n'
  );
}

export function debianFiles(plan: PackagePlan): DebianFile[] {
  const file = (path: string, content: string, mode = 0o644): DebianFile => ({ path, content, mode });
  const pkg = plan.packageName;
  return [
    file('control', controlFile(plan)),
    file('rules', rulesFile(plan), 0o755),
    file('changelog', changelogFile(plan)),
    file('copyright', copyrightFile(plan)),
    // Native: debian/ lives in the project's own repository and the version is the project's, so there is no
    // separate upstream tarball to keep (a Debian revision would need one).
    file('source/format', '3.0 (native)\n'),
    file('.gitignore', gitignoreFile(plan)),
    ...(plan.scripts.length === 0
      ? []
      : [
          file(`${pkg}.links`, linksFile(plan)),
          file(`${pkg}.manpages`, manpagesFile(plan)),
          ...plan.scripts.map((script) => file(`${script}.1`, manualPage(plan, script))),
        ]),
    ...(plan.service === undefined
      ? []
      : [
          file(`${pkg}.service`, unitFile(plan, plan.service)),
          file(`${pkg}.postinst`, postinstFile(plan, plan.service), 0o755),
          file(`${pkg}.postrm`, postrmFile(plan, plan.service), 0o755),
        ]),
  ];
}
