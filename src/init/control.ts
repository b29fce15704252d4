/** debian/control: one source package and one binary package, each field's choice explained above it. */
import { comment, labelledComment, writtenBy } from './comments';
import type { PackagePlan } from './plan';

/** The policy version the generated files follow (bookworm's lintian knows it; later ones accept it). */
export const STANDARDS_VERSION = '4.6.2';

function dependsField(plan: PackagePlan): { value: string; why: string[] } {
  const depends = ['${misc:Depends}', '${shlibs:Depends}'];
  const why = [
    ...labelledComment(
      '${misc:Depends}',
      `the interpreter the virtualenv runs (dh_virtualenv adds the python3.X it was built with) and what debhelper's snippets need`,
    ),
    ...labelledComment(
      '${shlibs:Depends}',
      'the libraries that compiled code in the virtualenv links (dh_shlibdeps and dh_virtualenv_shlibdeps fill it in); empty when there is none',
    ),
  ];
  if (plan.service !== undefined) {
    depends.push('adduser');
    why.push(
      ...labelledComment('adduser', `the postinst creates the system user ${plan.service.user} with it`),
    );
  }
  return { value: depends.join(', '), why };
}

export function controlFile(plan: PackagePlan): string {
  const depends = dependsField(plan);
  const buildDepends = plan.buildDepends.map(
    (dependency, index) => (index === 0 ? ' ' : '               ') + `${dependency.name},`,
  );
  const lines = [
    ...comment(writtenBy(plan.origin)),
    `Source: ${plan.packageName}`,
    ...comment(
      'misc: the archive section for an application that fits no other; admin, net, utils or web may fit better.',
    ),
    'Section: misc',
    'Priority: optional',
    `Maintainer: ${plan.maintainer}`,
    ...plan.buildDepends.flatMap((dependency) => labelledComment(dependency.name, dependency.why)),
    `Build-Depends:${buildDepends.join('\n')}`,
    `Standards-Version: ${STANDARDS_VERSION}`,
    ...(plan.homepage === undefined ? [] : [`Homepage: ${plan.homepage}`]),
    ...comment('No step of the build needs root: dpkg-deb makes root the owner of every file by itself.'),
    'Rules-Requires-Root: no',
    '',
    `Package: ${plan.packageName}`,
    ...labelledComment(plan.architecture, plan.architectureWhy),
    `Architecture: ${plan.architecture}`,
    ...depends.why,
    `Depends: ${depends.value}`,
    `Description: ${plan.synopsis}`,
    ...plan.extendedDescription,
  ];
  return lines.join('\n') + '\n';
}
