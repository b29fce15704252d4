"""Runs one PEP 517 hook of a project's build backend the way pip's hook runner (pyproject_hooks) does: in
the project directory, with the backend's backend-path first on sys.path, and the result written as JSON to
a file (the backend may print to stdout). dh-virtualenv init runs it with the interpreter of a temporary
virtualenv holding only the project's build requirements, as pip's build isolation would.

    python run_backend_hook.py HOOK BACKEND BACKEND_PATH_JSON OUT_DIR RESULT_FILE
"""
import importlib
import json
import os
import sys
import zipfile


def load_backend(spec, backend_path):
    for path in reversed(backend_path):
        sys.path.insert(0, os.path.abspath(path))
    module_name, _, attributes = spec.partition(":")
    backend = importlib.import_module(module_name)
    for attribute in filter(None, attributes.split(".")):
        backend = getattr(backend, attribute)
    return backend


def dist_info_of_wheel(out_dir, wheel):
    """pip's way for backends without prepare_metadata_for_build_wheel: build the wheel, take its .dist-info."""
    with zipfile.ZipFile(os.path.join(out_dir, wheel)) as archive:
        names = [name for name in archive.namelist() if name.split("/")[0].endswith(".dist-info")]
        archive.extractall(out_dir, names)
    return os.path.join(out_dir, names[0].split("/")[0])


def main():
    hook, spec, backend_path, out_dir, result_file = sys.argv[1:6]
    backend = load_backend(spec, json.loads(backend_path))
    if hook == "get_requires_for_build_wheel":
        get_requires = getattr(backend, hook, None)
        result = list(get_requires(None)) if get_requires is not None else []
    elif hook == "prepare_metadata_for_build_wheel":
        prepare = getattr(backend, hook, None)
        if prepare is not None:
            result = os.path.join(out_dir, prepare(out_dir, None))
        else:
            result = dist_info_of_wheel(out_dir, backend.build_wheel(out_dir, None))
    else:
        raise SystemExit("unknown hook " + hook)
    with open(result_file, "w", encoding="utf-8") as out:
        json.dump(result, out)


main()
