/**
 * The bill of materials every package gets: what its venv bundles, as a CycloneDX 1.5 JSON document installed
 * as /usr/share/doc/<package>/sbom.cdx.json.
 *
 * CycloneDX rather than SPDX 2.3: SPDX requires a creation timestamp and a unique document namespace in every
 * document, so two builds of one source would differ (or carry a made-up time), while CycloneDX needs neither;
 * its component model (a purl, hashes, licenses, a distribution URL each) is what a PyPI distribution has; and
 * the scanners people point at packages (Trivy, Grype, Dependency-Track) read it. The document is
 * reproducible: no timestamp, components sorted, and a serial number derived from the content.
 *
 * The components are the venv's own metadata (installed-distributions.ts), so the document lists exactly what
 * ships; pip's installation reports (install-reports.ts) add where each came from and the file's hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnvironment } from './child-environment';
import { licenseFromClassifiers, licenseFromFreeForm } from '../init/license';
import { installReportDir, readInstallReports, type Origin } from './install-reports';
import { compareText, installedDistributions, type InstalledDistribution } from './installed-distributions';
import type { PackageLayout } from './layout';
import type { Context } from './pipeline';
import { VERSION } from '../core/version';

export const SBOM_FILE_NAME = 'sbom.cdx.json';

/** CycloneDX's names of the hash algorithms pip may report. */
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

type License = { license: { name: string } } | { expression: string };

/**
 * The licenses a distribution declares: a PEP 639 License-Expression as it is; else the SPDX expression its
 * `License ::` classifiers or License field name unambiguously (the reading `dh-virtualenv init` uses for
 * debian/copyright); else what they say, as names. A License field holding a whole license text is left out.
 */
export function licensesOf(distribution: InstalledDistribution): License[] {
  const expression =
    distribution.licenseExpression ??
    licenseFromClassifiers(distribution.classifiers) ??
    (distribution.licenseText === undefined ? undefined : licenseFromFreeForm(distribution.licenseText));
  if (expression !== undefined) return [{ expression }];
  const names = distribution.classifiers.map((classifier) => classifier.split(' :: ').pop() ?? classifier);
  const text = distribution.licenseText;
  if (text !== undefined && !text.includes('\n') && text.length <= 100) names.push(text);
  return [...new Set(names)].map((name) => ({ license: { name } }));
}

/** pkg:pypi/<normalized name>@<version>, percent-encoded as the purl spec asks. */
export function purlOf(distribution: Pick<InstalledDistribution, 'key' | 'version'>): string {
  return `pkg:pypi/${encodeURIComponent(distribution.key)}@${encodeURIComponent(distribution.version)}`;
}

interface Property {
  readonly name: string;
  readonly value: string;
}

function component(distribution: InstalledDistribution, origin: Origin | undefined): Record<string, unknown> {
  const purl = purlOf(distribution);
  const licenses = licensesOf(distribution);
  // A report counts only for the version that ended up installed (a later run may have replaced it).
  const known = origin !== undefined && origin.version === distribution.version ? origin : undefined;
  const hashes = [...(known?.hashes ?? new Map<string, string>())]
    .flatMap(([alg, content]) => {
      const name = HASH_ALGORITHMS[alg];
      return name === undefined ? [] : [{ alg: name, content }];
    })
    .sort((a, b) => compareText(a.alg, b.alg));
  const references =
    known?.url === undefined ? [] : [{ type: known.kind === 'vcs' ? 'vcs' : 'distribution', url: known.url }];
  const properties: Property[] = [
    { name: 'dh-virtualenv:origin', value: known?.kind ?? 'not recorded' },
    ...(known?.commit === undefined ? [] : [{ name: 'dh-virtualenv:vcs-commit', value: known.commit }]),
    { name: 'dh-virtualenv:metadata', value: distribution.metadataDir },
  ];
  return {
    type: 'library',
    'bom-ref': purl,
    name: distribution.name,
    version: distribution.version,
    ...(distribution.summary === undefined ? {} : { description: distribution.summary }),
    ...(hashes.length === 0 ? {} : { hashes }),
    ...(licenses.length === 0 ? {} : { licenses }),
    purl,
    ...(references.length === 0 ? {} : { externalReferences: references }),
    properties,
  };
}

export interface BillOfMaterialsInput {
  readonly packageName: string;
  /** The Debian version being built, from debian/changelog. */
  readonly packageVersion: string | undefined;
  /** The venv's path on the target, e.g. /opt/venvs/hello. */
  readonly finalDir: string;
  readonly distributions: readonly InstalledDistribution[];
  readonly origins: ReadonlyMap<string, Origin>;
}

/**
 * A name-based UUID (RFC 4122 version 5, under a namespace of our own) of the document's content: the same
 * content always gets the same serial number, and CycloneDX's schema accepts it.
 */
export function contentSerialNumber(content: string): string {
  const namespace = Buffer.from('6f1d3c52a0e54c3e9f3b7d2a8c4e1b90', 'hex');
  const bytes = createHash('sha1').update(namespace).update(content).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The CycloneDX document, as the text written to the package (two-space indented JSON, newline at the end). */
export function billOfMaterials(input: BillOfMaterialsInput): string {
  const components = input.distributions.map((distribution) =>
    component(distribution, input.origins.get(distribution.key)),
  );
  const packageRef = `deb:${input.packageName}`;
  const body = {
    metadata: {
      tools: { components: [{ type: 'application', name: 'dh-virtualenv', version: VERSION }] },
      component: {
        type: 'application',
        'bom-ref': packageRef,
        name: input.packageName,
        ...(input.packageVersion === undefined ? {} : { version: input.packageVersion }),
        properties: [{ name: 'dh-virtualenv:venv', value: input.finalDir }],
      },
    },
    components,
    dependencies: [{ ref: packageRef, dependsOn: components.map((c) => c['bom-ref'] as string) }],
  };
  const document = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: contentSerialNumber(JSON.stringify(body)),
    version: 1,
    ...body,
  };
  return JSON.stringify(document, null, 2) + '\n';
}

/** The version dpkg-buildpackage builds, as debian/changelog says (undefined outside a source package). */
function packageVersion(context: Context): string | undefined {
  if (!existsSync(join(context.cwd, 'debian', 'changelog'))) return undefined;
  const version = context.runner.capture(['dpkg-parsechangelog', '-S', 'Version'], {
    cwd: context.cwd,
    env: childEnvironment(context.hostEnv).env,
  });
  return version.trim() === '' ? undefined : version.trim();
}

/**
 * Writes debian/<package>/usr/share/doc/<package>/sbom.cdx.json for the venv at `layout.stagingDir`, with the
 * origins from the reports of the build that made it (`reportsOf`: its package; in build-system mode the source
 * package). A doc directory that dh_installdocs --link-doc made a symbolic link belongs to another package:
 * the document is not written through it, and a warning says so.
 */
export function writeBillOfMaterials(
  context: Context,
  layout: PackageLayout,
  reportsOf: string,
): string | undefined {
  const docDir = join(context.cwd, 'debian', layout.packageName, 'usr', 'share', 'doc', layout.packageName);
  if (existsSync(docDir) && lstatSync(docDir).isSymbolicLink()) {
    context.logger.log({
      kind: 'warning',
      message:
        `${layout.packageName}: /usr/share/doc/${layout.packageName} links to another package's ` +
        `documentation, so no ${SBOM_FILE_NAME} is written for its venv`,
    });
    return undefined;
  }
  const text = billOfMaterials({
    packageName: layout.packageName,
    packageVersion: packageVersion(context),
    finalDir: layout.finalDir,
    distributions: installedDistributions(layout.stagingDir),
    origins: readInstallReports(installReportDir(context.cwd, reportsOf)),
  });
  mkdirSync(docDir, { recursive: true });
  const path = join(docDir, SBOM_FILE_NAME);
  writeFileSync(path, text);
  return path;
}
