/**
 * Issue #15, item 4: every package records what its venv bundles, as CycloneDX JSON in
 * /usr/share/doc/<package>/sbom.cdx.json. test/fixtures/sbom (a setup.py project with two requirements from
 * the test index) is built twice with pip and once with uv; the document is checked against the venv's own
 * .dist-info metadata, against the files the index served, and for reproducibility, and the package against
 * lintian.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lintian } from './clean-output-steps';
import {
  extractDeb,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  targetPython,
  useSuite,
  type Build,
} from './harness';
import { indexWheel } from './index-files';
import { normalizeName } from '../../src/init/requirements';
import { DEV_UV_DIR } from './processes';

const TIMEOUT = 10 * 60 * 1000;
const PKG = 'dhvt-sbom';
const VENV = `/opt/venvs/${PKG}`;
const SBOM = `/usr/share/doc/${PKG}/sbom.cdx.json`;
const SITE = `${VENV}/${targetPython().sitePackages}`;

interface Component {
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly hashes?: readonly { alg: string; content: string }[];
  readonly licenses?: readonly unknown[];
  readonly externalReferences?: readonly { type: string; url: string }[];
  readonly properties: readonly { name: string; value: string }[];
}

interface Document {
  readonly bomFormat: string;
  readonly specVersion: string;
  readonly serialNumber: string;
  readonly metadata: { component: { name: string; version: string } };
  readonly components: readonly Component[];
}

/** normalized name -> version, from each .dist-info's METADATA in the unpacked venv. */
function venvDistributions(tree: string): Map<string, string> {
  const site = join(tree, SITE);
  return new Map(
    readdirSync(site)
      .filter((name) => name.endsWith('.dist-info'))
      .map((dir) => {
        const metadata = readFileSync(join(site, dir, 'METADATA'), 'utf8');
        const field = (name: string): string => new RegExp(`^${name}: (.*)$`, 'm').exec(metadata)?.[1] ?? '';
        return [normalizeName(field('Name')), field('Version')] as const;
      }),
  );
}

function origin(component: Component | undefined): string | undefined {
  return component?.properties.find((property) => property.name === 'dh-virtualenv:origin')?.value;
}

async function billOf(build: Build): Promise<{ text: string; document: Document; tree: string }> {
  const tree = await extractDeb(build.deb(PKG));
  const text = readFileSync(join(tree, SBOM), 'utf8');
  return { text, document: JSON.parse(text) as Document, tree };
}

describe('bill of materials', { concurrency: false }, () => {
  const suite = useSuite({ projects: ['dhvt-greet', 'dhvt-color'] });

  test(
    'pip: every distribution of the venv with its version, license, hash and origin; reproducible; lintian-clean',
    { timeout: TIMEOUT },
    async (t) => {
      const first = await suite().buildPackage('sbom');
      const { text, document, tree } = await billOf(first);

      assert.equal(document.bomFormat, 'CycloneDX');
      assert.equal(document.specVersion, '1.5');
      assert.deepEqual(document.metadata.component, {
        ...document.metadata.component,
        name: PKG,
        version: '1.0',
      });
      // The venv's own metadata and the document list the same distributions at the same versions.
      const listed = new Map(document.components.map((c) => [normalizeName(c.name), c.version]));
      assert.deepEqual(
        [...listed].sort(),
        [...venvDistributions(tree)].sort(),
        'the components are not the .dist-info directories of the venv',
      );
      for (const name of ['dhvt-sbom', 'dhvt-greet', 'dhvt-color', 'pip']) assert.ok(listed.has(name), name);

      // Requirements from the index: the wheel's URL there and its sha256, as the index lists them.
      const byName = new Map(document.components.map((c) => [normalizeName(c.name), c]));
      for (const project of ['dhvt-greet', 'dhvt-color']) {
        const wheel = await indexWheel(suite().index.url, project);
        const component = byName.get(project);
        assert.equal(origin(component), 'index', project);
        assert.deepEqual(component?.hashes, [{ alg: 'SHA-256', content: wheel.sha256 }], project);
        assert.deepEqual(component?.externalReferences, [{ type: 'distribution', url: wheel.url }], project);
        assert.equal(component?.purl, `pkg:pypi/${project}@${listed.get(project) ?? ''}`);
      }
      // The project came from the source tree, which is not named (a build path); its classifier says MIT.
      const project = byName.get('dhvt-sbom');
      assert.equal(origin(project), 'source tree');
      assert.deepEqual(project?.licenses, [{ expression: 'MIT' }]);
      assert.ok(!text.includes(first.sourceDir), 'the document names the build directory');
      // virtualenv seeded pip from its own wheels: no pip run reported it.
      assert.equal(origin(byName.get('pip')), 'not recorded');

      // Built again, the document is the same, serial number included.
      const second = await billOf(await suite().buildPackage('sbom'));
      assert.equal(second.text, text, 'two builds gave different documents');

      const report = await lintian(first.deb(PKG), suite().env().HOME ?? tmpdir());
      assert.deepEqual(report.errorsAndWarnings, [], report.result.stdout);

      await purgeAfter(t, PKG);
      await installDeb(first.deb(PKG));
      assert.equal((await runInstalled(`${VENV}/bin/${PKG}`)).trim(), 'dhvt-sbom: dhvt_greet dhvt_color');
      // Installed as it was built: not compressed by dh_compress, whatever its size.
      assert.equal(readFileSync(SBOM, 'utf8'), text);
      await purge(PKG);
      assert.ok(!existsSync(SBOM));
    },
  );

  test(
    '--installer uv: the same distributions, with no origin or hash (uv writes no installation report)',
    { timeout: TIMEOUT },
    async () => {
      const build = await suite().buildPackage('sbom', {
        env: { PATH: `${suite().env().PATH ?? ''}:${DEV_UV_DIR}`, DHVT_ARGS: '--installer uv' },
      });
      const { document, tree } = await billOf(build);
      const listed = new Map(document.components.map((c) => [normalizeName(c.name), c.version]));
      assert.deepEqual([...listed].sort(), [...venvDistributions(tree)].sort());
      for (const component of document.components) {
        assert.equal(origin(component), 'not recorded', component.name);
        assert.equal(component.hashes, undefined, component.name);
      }
    },
  );
});
