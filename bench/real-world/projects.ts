/**
 * What bench/real-world-native.ts builds: one package per row. Versions are the ones last measured on Debian 12
 * (CPython 3.11, amd64); docs/native.md lists the same rows with their results. A new release is tried by
 * changing the version here, which also makes the bench download it.
 */

/** How the row's own project gets into the venv. */
export type Kind = 'wheel' | 'sdist' | 'profile';

/** A program in the installed venv's bin/ and its arguments; the row passes if it exits 0. */
export interface Smoke {
  readonly program: string;
  readonly args: readonly string[];
}

export interface Row {
  /** The name on the command line and in the package name (lower case, as Debian wants). */
  readonly name: string;
  /** The project as PyPI spells it; for a profile, what it stands for. */
  readonly project: string;
  /** The version pinned; for a profile, how many projects it pins. */
  readonly version: string;
  readonly kind: Kind;
  /** requirements.txt of the shell project, one entry a line; also what the wheelhouse downloads. */
  readonly requirements: readonly string[];
  /** Debian packages beyond python3-dev that building (and, for an sdist, downloading) needs. */
  readonly buildDepends: readonly string[];
  readonly smoke: Smoke;
}

/** A call that must do real work in the compiled code, not just import it. */
function python(code: string): Smoke {
  return { program: 'python', args: ['-c', code] };
}

/**
 * A manylinux wheel; `--only-binary` so that a missing wheel fails the download instead of compiling. `users`:
 * for a library nothing imports directly, the project that loads it.
 */
function wheel(project: string, version: string, code: string, users: readonly string[] = []): Row {
  return {
    name: project.toLowerCase(),
    project,
    version,
    kind: 'wheel',
    requirements: [`--only-binary ${project}`, `${project}==${version}`, ...users],
    buildDepends: [],
    smoke: python(code),
  };
}

/** Compiled by pip during the package build, against Debian's -dev packages and with Debian's build flags. */
function sdist(project: string, version: string, buildDepends: readonly string[], smoke: Smoke): Row {
  return {
    name: project.toLowerCase(),
    project,
    version,
    kind: 'sdist',
    requirements: [`--no-binary ${project}`, `${project}==${version}`],
    buildDepends,
    smoke,
  };
}

/** A whole application's requirements in one venv: bundled libraries of several wheels side by side. */
function profile(name: string, pins: readonly string[], code: string): Row {
  return {
    name,
    project: `${name} application`,
    version: `${pins.length} projects`,
    kind: 'profile',
    requirements: pins,
    buildDepends: [],
    smoke: python(code),
  };
}

export const ROWS: readonly Row[] = [
  // Databases.
  wheel(
    'psycopg2-binary',
    '2.9.13',
    'import psycopg2, psycopg2.extensions as e; print(psycopg2.__version__, e.libpq_version(), e.adapt([1, "a"]).getquoted())',
  ),
  wheel(
    'SQLAlchemy',
    '2.1.9',
    'import sqlalchemy as sa; from sqlalchemy.util import has_compiled_ext; c = sa.create_engine("sqlite://").connect(); print(sa.__version__, has_compiled_ext(), c.execute(sa.text("select 1 + 1")).scalar())',
  ),
  wheel(
    'pymongo',
    '4.20.1',
    'import bson, pymongo; print(pymongo.version, pymongo.has_c(), bson.has_c(), bson.decode(bson.encode({"a": [1, 2]})))',
  ),
  wheel(
    'asyncpg',
    '0.32.0',
    'import asyncpg; from asyncpg.protocol import protocol; from asyncpg.pgproto import pgproto; print(asyncpg.__version__, protocol.Record, pgproto.UUID("12345678123456781234567812345678"))',
  ),
  wheel(
    'greenlet',
    '3.5.6',
    'import greenlet; g = greenlet.greenlet(lambda x: x * 2); print(greenlet.__version__, g.switch(21))',
  ),

  // Web and networking.
  wheel(
    'aiohttp',
    '3.14.5',
    'import aiohttp, aiohttp.http_parser as p; print(aiohttp.__version__, p.HttpRequestParser.__module__)',
  ),
  wheel(
    'frozenlist',
    '1.8.0',
    'import frozenlist; f = frozenlist.FrozenList([1, 2]); f.freeze(); print(frozenlist.__version__, type(f).__module__, hash(f) == hash(f))',
  ),
  wheel(
    'multidict',
    '7.2.1',
    'import multidict; d = multidict.MultiDict(a=1); d.add("a", 2); print(multidict.__version__, type(d).__module__, d.getall("a"))',
  ),
  wheel(
    'yarl',
    '1.25.1',
    'import yarl; u = yarl.URL("https://example.org/a b?q=1"); print(yarl.__version__, u.raw_path, u.query["q"], u / "c")',
  ),
  wheel(
    'uvloop',
    '0.23.0',
    'import asyncio, uvloop; print(uvloop.__version__, uvloop.run(asyncio.sleep(0, "ran on uvloop")))',
  ),
  wheel(
    'httptools',
    '0.9.0',
    'import httptools; p = httptools.HttpRequestParser(None); p.feed_data(b"GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n"); print(httptools.__version__, p.get_method(), p.get_http_version())',
  ),
  wheel(
    'websockets',
    '17.4',
    'import websockets; from websockets.speedups import apply_mask; print(websockets.__version__, apply_mask(b"abcd", b"abcd"))',
  ),
  wheel(
    'gevent',
    '26.9.0',
    'import gevent; print(gevent.__version__, gevent.spawn(lambda: 6 * 7).get(), type(gevent.get_hub().loop).__module__)',
  ),
  wheel(
    'MarkupSafe',
    '3.0.4',
    'import markupsafe; print(markupsafe.escape("<a href=x>"), markupsafe._escape_inner.__module__)',
  ),
  wheel(
    'charset-normalizer',
    '3.5.3',
    'import charset_normalizer as c, charset_normalizer.md as md; print(c.__version__, c.from_bytes("Größenordnung à été".encode("utf-8")).best().encoding, md.__file__.rsplit("/", 1)[-1])',
  ),

  // Cryptography.
  wheel(
    'cryptography',
    '50.0.2',
    'import cryptography; from cryptography.fernet import Fernet; from cryptography.hazmat.backends.openssl import backend; from cryptography.hazmat.primitives.asymmetric import ed25519; f = Fernet(Fernet.generate_key()); k = ed25519.Ed25519PrivateKey.generate(); k.public_key().verify(k.sign(b"x"), b"x"); print(cryptography.__version__, backend.openssl_version_text(), f.decrypt(f.encrypt(b"ok")))',
  ),
  wheel(
    'cffi',
    '2.1.1',
    'import cffi; ffi = cffi.FFI(); ffi.cdef("size_t strlen(const char *);"); print(cffi.__version__, ffi.dlopen(None).strlen(b"hello"))',
  ),
  wheel(
    'bcrypt',
    '5.0.0',
    'import bcrypt; h = bcrypt.hashpw(b"pw", bcrypt.gensalt(4)); print(bcrypt.__version__, bcrypt.checkpw(b"pw", h))',
  ),
  wheel(
    'PyNaCl',
    '1.6.2',
    'import nacl, nacl.secret, nacl.utils; b = nacl.secret.SecretBox(nacl.utils.random(32)); print(nacl.__version__, b.decrypt(b.encrypt(b"ok")))',
  ),

  // Imaging.
  wheel(
    'Pillow',
    '13.0.0',
    'import io; from PIL import Image, ImageDraw, features; im = Image.new("RGB", (64, 64), "red"); ImageDraw.Draw(im).line((0, 0, 63, 63), fill="blue"); [im.save(io.BytesIO(), f) for f in ("PNG", "JPEG", "WEBP", "TIFF")]; print(Image.__version__, features.version("jpg"), features.version("webp"))',
  ),

  // Data science.
  wheel(
    'numpy',
    '2.4.6',
    'import numpy; print(numpy.__version__, numpy.linalg.inv(numpy.eye(3) * 2).sum(), numpy.fft.fft(numpy.ones(4)).real.tolist())',
  ),
  wheel(
    'scipy',
    '1.17.1',
    'import scipy, scipy.linalg, scipy.optimize as o, scipy.special as s; print(scipy.__version__, scipy.linalg.inv([[2.0, 0], [0, 2]]).sum(), round(o.minimize_scalar(lambda x: (x - 3) ** 2).x, 3), round(s.gamma(5.0)))',
  ),
  wheel(
    'pandas',
    '3.1.1',
    'import pandas as pd; df = pd.DataFrame({"a": [1, 2, 3], "b": list("xyx")}); print(pd.__version__, df.groupby("b").a.sum().to_dict(), pd.to_datetime(["2024-02-29"]).day_of_year[0])',
  ),
  wheel(
    'matplotlib',
    '3.11.2',
    'import io, matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt; plt.plot([1, 3, 2]); b = io.BytesIO(); plt.savefig(b, format="png"); print(matplotlib.__version__, len(b.getvalue()) > 1000)',
  ),
  wheel(
    'kiwisolver',
    '1.5.1',
    'import kiwisolver as k; x = k.Variable("x"); s = k.Solver(); s.addConstraint(x == 3); s.updateVariables(); print(k.__version__, x.value())',
  ),
  wheel(
    'contourpy',
    '1.3.3',
    'import contourpy, numpy as np; z = np.arange(16.0).reshape(4, 4); print(contourpy.__version__, len(contourpy.contour_generator(z=z).lines(5.0)))',
  ),
  wheel(
    'pyarrow',
    '26.0.1',
    'import io, pyarrow as pa, pyarrow.parquet as pq; b = io.BytesIO(); pq.write_table(pa.table({"a": [1, 2, 3]}), b); print(pa.__version__, pq.read_table(io.BytesIO(b.getvalue())).column("a").to_pylist())',
  ),
  wheel(
    'h5py',
    '3.16.0',
    'import io, h5py, numpy; f = h5py.File(io.BytesIO(), "w"); f["x"] = numpy.arange(4); print(h5py.__version__, h5py.version.hdf5_version, f["x"][:].sum())',
  ),

  // Machine learning.
  wheel(
    'scikit-learn',
    '1.9.1',
    'import numpy as np, sklearn; from sklearn.cluster import KMeans; from sklearn.linear_model import LinearRegression; X = np.arange(20.0).reshape(10, 2); print(sklearn.__version__, LinearRegression().fit(X[:, :1], X[:, 1]).coef_, KMeans(2, n_init=1, random_state=0).fit(X).inertia_)',
  ),
  wheel(
    'tokenizers',
    '0.23.3',
    'import tokenizers; from tokenizers import Tokenizer, models, pre_tokenizers; t = Tokenizer(models.WordLevel({"hi": 0, "there": 1, "[UNK]": 2}, unk_token="[UNK]")); t.pre_tokenizer = pre_tokenizers.Whitespace(); print(tokenizers.__version__, t.encode("hi there you").ids)',
  ),

  // Geo.
  wheel(
    'shapely',
    '2.2.0',
    'import shapely; from shapely.geometry import Point; print(shapely.__version__, shapely.geos_version, round(Point(0, 0).buffer(1).area, 2))',
  ),
  wheel(
    'pyproj',
    '3.7.2',
    'import pyproj; t = pyproj.Transformer.from_crs(4326, 3857, always_xy=True); print(pyproj.__version__, pyproj.proj_version_str, [round(v) for v in t.transform(2.35, 48.85)])',
  ),

  // Messaging and RPC.
  wheel(
    'grpcio',
    '1.85.3',
    'import grpc; from concurrent.futures import ThreadPoolExecutor; s = grpc.server(ThreadPoolExecutor(1)); print(grpc.__version__, s.add_insecure_port("127.0.0.1:0") > 0); s.stop(None)',
  ),
  wheel(
    'protobuf',
    '7.36.2',
    'from google.protobuf import __version__, descriptor_pb2 as d; from google.protobuf.internal import api_implementation; m = d.FileDescriptorProto(name="x.proto"); print(__version__, api_implementation.Type(), d.FileDescriptorProto.FromString(m.SerializeToString()).name)',
  ),
  wheel(
    'pyzmq',
    '27.3.0',
    'import zmq; c = zmq.Context(); a, b = c.socket(zmq.PAIR), c.socket(zmq.PAIR); a.bind("inproc://x"); b.connect("inproc://x"); a.send(b"ok"); print(zmq.__version__, zmq.zmq_version(), b.recv())',
  ),

  // Serialization and compression.
  wheel(
    'orjson',
    '3.13.0',
    'import orjson; print(orjson.__version__, orjson.loads(orjson.dumps({"a": 1, "b": [1.5, None]})))',
  ),
  wheel(
    'lxml',
    '6.1.3',
    'from lxml import etree; x = etree.XSLT(etree.XML(\'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><c><xsl:value-of select="a/b"/></c></xsl:template></xsl:stylesheet>\')); print(etree.__version__, etree.LIBXML_VERSION, str(x(etree.XML("<a><b>ok</b></a>"))).strip())',
  ),
  wheel(
    'ujson',
    '6.1.0',
    'import ujson; print(ujson.__version__, ujson.loads(ujson.dumps({"a": [1, 2.5, "x"]})))',
  ),
  wheel(
    'msgpack',
    '1.2.4',
    'import msgpack, msgpack._cmsgpack; print(msgpack.version, msgpack.unpackb(msgpack.packb({"a": [1, 2]})))',
  ),
  wheel(
    'PyYAML',
    '6.0.4',
    'import yaml; print(yaml.__version__, yaml.__with_libyaml__, yaml.load("a: [1, 2]", Loader=yaml.CSafeLoader))',
  ),
  wheel(
    'ruamel.yaml.clib',
    '0.2.15',
    'import ruamel.yaml as r; y = r.YAML(typ="safe"); print(r.__version__, r.__with_libyaml__, y.load("a: [1, 2]"), type(y.parser).__module__)',
    ['ruamel.yaml==0.19.1'],
  ),
  wheel(
    'pydantic-core',
    '2.50.5',
    'import pydantic_core; from pydantic_core import SchemaValidator, core_schema as cs; v = SchemaValidator(cs.dict_schema(cs.str_schema(), cs.int_schema())); print(pydantic_core.__version__, v.validate_python({"a": "1"}))',
  ),
  wheel(
    'rpds-py',
    '2026.9.1',
    'import rpds; print(rpds.HashTrieMap({"a": 1}).insert("b", 2), rpds.List([1, 2]).push_front(0))',
  ),
  wheel(
    'regex',
    '2026.11.19',
    'import regex; print(regex.__version__, regex.findall(r"\\p{Greek}+", "abc αβγ δ"))',
  ),
  wheel(
    'zstandard',
    '0.25.0',
    'import zstandard as z; d = z.ZstdCompressor().compress(b"x" * 100); print(z.__version__, z.backend, len(z.ZstdDecompressor().decompress(d)))',
  ),
  wheel(
    'lz4',
    '4.4.5',
    'import lz4, lz4.frame as f; print(lz4.__version__, f.decompress(f.compress(b"x" * 100)) == b"x" * 100)',
  ),
  wheel(
    'xxhash',
    '4.1.0',
    'import xxhash; print(xxhash.VERSION, xxhash.XXHASH_VERSION, xxhash.xxh64_hexdigest(b"abc"))',
  ),

  // System tools.
  wheel(
    'psutil',
    '7.2.2',
    'import psutil; p = psutil.Process(); print(psutil.__version__, psutil.cpu_count() > 0, p.memory_info().rss > 0, len(p.open_files()) >= 0)',
  ),

  // Compiled from sdists.
  sdist(
    'psycopg2',
    '2.9.13',
    ['libpq-dev'],
    python(
      'import psycopg2, psycopg2.extensions as e; print("psycopg2", psycopg2.__version__, "libpq", e.libpq_version(), e.adapt([1, "a"]).getquoted())',
    ),
  ),
  sdist(
    'python-ldap',
    '3.4.8',
    ['libldap2-dev', 'libsasl2-dev'],
    python(
      'import ldap, ldap.dn; print("python-ldap", ldap.__version__, "OpenLDAP", ldap.VENDOR_VERSION, ldap.dn.str2dn("cn=a,dc=b"))',
    ),
  ),
  sdist(
    'mysqlclient',
    '2.3.2',
    ['libmariadb-dev', 'pkg-config'],
    python(
      'import MySQLdb, MySQLdb._mysql as m; print(MySQLdb.version_info, m.get_client_info(), m.escape_string(b"it\'s"))',
    ),
  ),
  // The uwsgi program lands in the venv's bin/ and must run from there as built. Its build links whatever it
  // finds (OpenSSL, PCRE2, libxml2, libuuid, zlib), so all of them are listed to get the same Depends anywhere.
  sdist('uWSGI', '2.0.31', ['libssl-dev', 'libpcre2-dev', 'libxml2-dev', 'uuid-dev', 'zlib1g-dev'], {
    program: 'uwsgi',
    args: ['--version'],
  }),

  // Applications.
  profile(
    'web',
    [
      'Django==5.2.19',
      'celery==5.7.0',
      'redis==8.1.0',
      'psycopg2-binary==2.9.13',
      'requests==2.34.2',
      'sentry-sdk==2.75.0',
      'gunicorn==27.0.1',
      'djangorestframework==3.18.3',
      'python-dateutil==2.9.0.post0',
      'PyYAML==6.0.4',
      'Jinja2==3.1.6',
      'cryptography==50.0.2',
    ],
    'import django, celery, gunicorn, jinja2, psycopg2, redis, requests, sentry_sdk, yaml; from cryptography.fernet import Fernet; from dateutil import parser; from django.conf import settings; settings.configure(); django.setup(); from rest_framework import serializers; sentry_sdk.init(); f = Fernet(Fernet.generate_key()); print(django.get_version(), celery.__version__, gunicorn.__version__, psycopg2.extensions.libpq_version(), serializers.IntegerField().to_internal_value("7"), jinja2.Template("{{ a }}").render(a=yaml.safe_load("a: 1")["a"]), parser.parse("2024-01-02").year, f.decrypt(f.encrypt(b"ok")), redis.Redis().connection_pool.connection_kwargs["port"], requests.Request("GET", "http://x/").prepare().url)',
  ),
  profile(
    'data',
    ['pandas==3.1.1', 'scipy==1.17.1', 'scikit-learn==1.9.1', 'matplotlib==3.11.2'],
    'import io, numpy as np, pandas as pd, scipy.stats, matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt; from PIL import Image; from sklearn.linear_model import LinearRegression; df = pd.DataFrame({"x": np.arange(10.0)}); df["y"] = 3 * df.x + 1; m = LinearRegression().fit(df[["x"]], df.y); df.plot(x="x", y="y"); b = io.BytesIO(); plt.savefig(b, format="png"); print(round(m.coef_[0], 3), round(scipy.stats.pearsonr(df.x, df.y)[0], 3), Image.open(io.BytesIO(b.getvalue())).size)',
  ),
];
