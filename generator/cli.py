"""The ``lmsgen`` command: generate, check, diff, validate, mock, new."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from . import __version__
from .diff import as_json, as_markdown, as_text, status
from .errors import SpecError
from .pipeline import build_all, build_many, drafts, load, select, up_to_date
from .revisions import RevisionError, compare_trees, providers, spec_tree
from .scaffold import scaffold
from .writer import FormatError, read_tree, write_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lmsgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"lmsgen {__version__}")
    parser.add_argument(
        "--specs", type=Path, default=Path("specs"), help="spec folders"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("generated"), help="output folder"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="regenerate providers into --out")
    generate.add_argument("providers", nargs="*", help="provider names (default: all)")
    generate.add_argument(
        "--force",
        action="store_true",
        help="rebuild providers whose inputs did not change",
    )
    commands.add_parser("check", help="fail if --out differs from a fresh generation")
    compare = commands.add_parser(
        "diff",
        help="API changes between two spec trees (exit 0 none, 1 compatible, 2 breaking)",
        description="Compare two spec trees through the IR. OLD and NEW are each a spec "
        "folder, a folder holding specs/, REV:PATH in git (main:specs) or REV alone "
        "(HEAD~1, meaning HEAD~1:specs). Exit status: 0 no change, 1 compatible changes "
        "only, 2 breaking changes, 3 the trees could not be read.",
    )
    compare.add_argument("old", help="the spec tree before (e.g. HEAD or main:specs)")
    compare.add_argument("new", help="the spec tree after (e.g. specs or .)")
    compare.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="report format",
    )
    validate = commands.add_parser("validate", help="check the specs without writing")
    validate.add_argument("providers", nargs="*")
    new = commands.add_parser("new", help="scaffold specs/NAME/ for a new provider")
    new.add_argument("name", help="provider name: lower case, the Python package name")
    new.add_argument("--title", default="", help="the API's title (default: from NAME)")
    mock = commands.add_parser("mock", help="serve a provider's fake server")
    mock.add_argument("provider")
    mock.add_argument("--port", type=int, default=8080)
    mock.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args.specs, args.out, args.providers, args.force)
        if args.command == "check":
            return _check(args.specs, args.out)
        if args.command == "diff":
            return _diff_trees(args.old, args.new, args.format)
        if args.command == "new":
            folder = scaffold(args.specs, args.name, args.title)
            print(
                f"wrote {folder}/openapi.yaml: describe the API there, then "
                f"`lmsgen generate {args.name}`"
            )
            return 0
        if args.command == "validate":
            return _validate(args.specs, args.providers)
        return _mock(args.out, args.provider, args.host, args.port)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (FormatError, KeyError, OSError) as exc:
        print(
            f"lmsgen: {exc.args[0] if isinstance(exc, KeyError) else exc}",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        # Template errors are jinja2's; jinja2 itself is imported only when rendering.
        if not type(exc).__module__.startswith("jinja2"):
            raise
        line = getattr(exc, "lineno", None)
        where = f"{getattr(exc, 'filename', '')}:{line}: " if line is not None else ""
        print(f"lmsgen: template error: {where}{exc}", file=sys.stderr)
        return 2


def _generate(specs: Path, out: Path, names: list[str], force: bool) -> int:
    """Rebuild the providers whose inputs or outputs changed since the last generation."""
    folders = select(specs, names)
    fresh = set() if force else {f.name for f in folders if up_to_date(f, out / f.name)}
    trees = build_many([(f, out / f.name) for f in folders if f.name not in fresh])
    write_tree(out, trees, prune=not names, keep=fresh)
    for folder in folders:
        if folder.name in fresh:
            print(f"{folder.name}: up to date")
        else:
            print(f"{folder.name}: {len(trees[folder.name])} files")
    _print_drafts(specs, names)
    return 0


def _validate(specs: Path, names: list[str]) -> int:
    """Load every selected provider; report each one's error, not only the first's."""
    failed = False
    for folder in select(specs, names):
        try:
            load(folder)
        except SpecError as exc:
            print(exc, file=sys.stderr)
            failed = True
        else:
            print(f"{folder.name}: ok")
    _print_drafts(specs, names)
    return 1 if failed else 0


def _print_drafts(specs: Path, names: list[str]) -> None:
    """Name the drafts a run over all providers left out, so none vanishes silently."""
    for folder in drafts(specs, names):
        print(f"{folder.name}: draft, skipped")


def _diff_trees(old: str, new: str, style: str) -> int:
    """Report the API changes from ``old`` to ``new``; errors exit 3, not 1 or 2."""
    try:
        with (
            spec_tree(old) as (old_dir, old_label),
            spec_tree(new) as (new_dir, new_label),
        ):
            changes = compare_trees(
                providers(old_dir, old_label), providers(new_dir, new_label)
            )
    except (SpecError, RevisionError, OSError) as exc:
        print(f"lmsgen diff: {exc}", file=sys.stderr)
        return 3
    title = f"API changes from {old_label} to {new_label}"
    render = {"text": as_text, "json": as_json}.get(style)
    sys.stdout.write(render(changes) if render else as_markdown(changes, title))
    return status(changes)


def _check(specs: Path, out: Path) -> int:
    # Always a full build: the incremental skip trusts the manifest, check must not.
    trees = build_all(specs, [], out)
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
        print(
            f"\n{stale} file(s) in {out}/ differ from the specs and templates; "
            "run `make generate` and commit the result."
        )
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
