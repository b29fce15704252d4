/**
 * --service SCRIPT: a systemd unit running the console script as a dedicated system user, and the maintainer
 * scripts around it. dh_installsystemd installs debian/<pkg>.service, enables and starts it (its snippet goes
 * where #DEBHELPER# stands, after the user is created); the postrm's purge removes the state directory but
 * not the user.
 */
import { comment, writtenBy } from './comments';
import type { PackagePlan } from './plan';
import postinstTemplate from './templates/service-postinst.sh';
import postrmTemplate from './templates/service-postrm.sh';

type Service = NonNullable<PackagePlan['service']>;

export function unitFile(plan: PackagePlan, service: Service): string {
  const lines = [
    ...comment(writtenBy(plan.origin)),
    ...comment(
      `Runs ${service.script} from the virtualenv as the system user ${service.user}, which the postinst creates. ` +
        'dh_installsystemd installs, enables and starts it.',
    ),
    '[Unit]',
    `Description=${plan.synopsis}`,
    ...(plan.homepage === undefined ? [] : [`Documentation=${plan.homepage}`]),
    'After=network.target',
    '',
    '[Service]',
    ...comment('exec: the start fails, and says so, when the program cannot be started at all.'),
    'Type=exec',
    `ExecStart=${plan.venvDir}/bin/${service.script}`,
    `User=${service.user}`,
    `Group=${service.user}`,
    ...comment(
      `/var/lib/${plan.packageName}, made by systemd and owned by ${service.user}: the one place it can write (the ` +
        'program finds it in $STATE_DIRECTORY), and its working directory.',
    ),
    `StateDirectory=${plan.packageName}`,
    `WorkingDirectory=%S/${plan.packageName}`,
    ...comment('Python writes its output at once, so that the journal shows it as it happens.'),
    'Environment=PYTHONUNBUFFERED=1',
    'Restart=on-failure',
    '',
    ...comment(
      'Hardening (systemd.exec(5)): the whole file system read-only but the state directory, no home directories, ' +
        'a private /tmp and /dev, no way to gain privileges or capabilities, the kernel out of reach.',
    ),
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'NoNewPrivileges=yes',
    ...comment(
      'No capabilities at all: to listen on a port below 1024, add CAP_NET_BIND_SERVICE here and ' +
        'AmbientCapabilities=CAP_NET_BIND_SERVICE.',
    ),
    'CapabilityBoundingSet=',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'ProtectProc=invisible',
    'RestrictSUIDSGID=yes',
    'RestrictRealtime=yes',
    'RestrictNamespaces=yes',
    'LockPersonality=yes',
    'RemoveIPC=yes',
    ...comment('Files it makes are not for every user to read.'),
    'UMask=0027',
    ...comment('Sockets of the kinds a network service uses: local ones and IPv4 and IPv6.'),
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    ...comment(
      "The system calls of systemd's @system-service set, which services ordinarily need (systemd.exec(5)); " +
        'any other fails with EPERM instead of killing the service.',
    ),
    'SystemCallArchitectures=native',
    'SystemCallFilter=@system-service',
    'SystemCallErrorNumber=EPERM',
    ...comment(
      'Not set: MemoryDenyWriteExecute=yes, which breaks Python packages that make code at run time (ctypes ' +
        'and cffi callbacks).',
    ),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  return lines.join('\n') + '\n';
}

/** Fills a template's #TOKEN# placeholders, as debhelper's autoscript() does. */
function fillTemplate(template: string, tokens: Readonly<Record<string, string>>): string {
  return template.replace(/#([A-Z_]+)#/g, (whole, name: string) => tokens[name] ?? whole);
}

export function postinstFile(plan: PackagePlan, service: Service): string {
  return fillTemplate(postinstTemplate, {
    ORIGIN: plan.origin,
    USER: service.user,
    PACKAGE: plan.packageName,
  });
}

export function postrmFile(plan: PackagePlan, service: Service): string {
  return fillTemplate(postrmTemplate, {
    ORIGIN: plan.origin,
    USER: service.user,
    STATE_DIRECTORY: `/var/lib/${plan.packageName}`,
  });
}
