"""The ``lmsgen`` command: generate, check, validate, mock."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .errors import SpecError
from .pipeline import build_all, load, select
from .writer import FormatError, read_tree, write_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lmsgen", description=__doc__)
    parser.add_argument("--specs", type=Path, default=Path("specs"), help="spec folders")
    parser.add_argument("--out", type=Path, default=Path("generated"), help="output folder")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="regenerate providers into --out")
    generate.add_argument("providers", nargs="*", help="provider names (default: all)")
    commands.add_parser("check", help="fail if --out differs from a fresh generation")
    validate = commands.add_parser("validate", help="check the specs without writing")
    validate.add_argument("providers", nargs="*")
    mock = commands.add_parser("mock", help="serve a provider's fake server")
    mock.add_argument("provider")
    mock.add_argument("--port", type=int, default=8080)
    mock.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args.specs, args.out, args.providers)
        if args.command == "check":
            return _check(args.specs, args.out)
        if args.command == "validate":
            for folder in select(args.specs, args.providers):
                load(folder)
                print(f"{folder.name}: ok")
            return 0
        return _mock(args.out, args.provider, args.host, args.port)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (FormatError, KeyError, OSError) as exc:
        print(f"lmsgen: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        return 1
    except TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, TemplateSyntaxError) else ""
        print(f"lmsgen: template error: {where}{exc}", file=sys.stderr)
        return 2


def _generate(specs: Path, out: Path, names: list[str]) -> int:
    trees = build_all(specs, names)
    write_tree(out, trees, prune=not names)
    for name, files in trees.items():
        print(f"{name}: {len(files)} files")
    return 0


def _check(specs: Path, out: Path) -> int:
    trees = build_all(specs, [])
    stale = 0
    for name, files in trees.items():
        current = read_tree(out / name)
        for path in sorted(set(files) | set(current)):
            want, have = files.get(path), current.get(path)
            if want == have:
                continue
            stale += 1
            shown = f"{out}/{name}/{path}"
            if want is None:
                print(f"extra: {shown}")
            elif have is None:
                print(f"missing: {shown}")
            else:
                print(f"differs: {shown}")
                sys.stdout.writelines(_diff(have, want, shown))
    if stale:
        print(f"\n{stale} file(s) in {out}/ differ from the specs and templates; "
              "run `make generate` and commit the result.")
        return 1
    print(f"{out}/ is up to date")
    return 0


def _diff(have: bytes, want: bytes, name: str) -> list[str]:
    try:
        old = have.decode("utf-8").splitlines(keepends=True)
        new = want.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return ["  (binary files differ)\n"]
    return list(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}", n=2))


def _mock(out: Path, provider: str, host: str, port: int) -> int:
    package_root = (out / provider).resolve()
    if not (package_root / provider / "fake_server.py").is_file():
        print(f"lmsgen: no generated package {provider!r} in {out}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(package_root))
    from importlib import import_module

    fake = import_module(f"{provider}.fake_server")
    server = fake.FakeServer(host=host, port=port)
    print(f"{provider} fake server on {server.base_url} (Ctrl-C stops it)")
    if hasattr(server, "soap_url"):
        print(f"SOAP endpoint: {server.soap_url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
