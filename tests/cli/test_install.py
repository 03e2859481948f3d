"""lmsgen installs as a user installs it: a wheel and a plain (non-editable) `pip install .`
each go into a new virtualenv and generate the same bytes as the repository's editable
install. Templates and runtime files travel as package data; nothing reads the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import lmsgen
import pytest
from helpers import REPO, clean_env, files_of, run_ok

# What a source distribution of lmsgen holds: the build reads nothing else.
SOURCES = ("pyproject.toml", "README.md", "generator", "templates")


def run(*args: str | Path, cwd: Path) -> str:
    return run_ok(*args, cwd=cwd, env=clean_env()).stdout


def source_copy(tmp_path: Path) -> Path:
    """The files a build needs, copied: building in the checkout would leave build/ there."""
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, copy / name)
    return copy


def fresh_venv(where: Path) -> Path:
    """A new venv that sees this one's third-party packages but not its editable lmsgen.

    A path listed in a .pth file is added to sys.path without its own .pth files being
    run, so the editable install's import hook stays out; lmsgen must come from the
    install under test.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", where], check=True)
    python = where / "bin" / "python"
    site = run(
        python,
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        cwd=where,
    )
    dependencies = dict.fromkeys(
        [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    )
    (Path(site.strip()) / "dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return python


def install(kind: str, tmp_path: Path) -> Path:
    """The venv's bin folder after installing lmsgen from a wheel or from the source folder."""
    source = source_copy(tmp_path)
    python = fresh_venv(tmp_path / "venv")
    pip = (
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--quiet",
        "--no-deps",
    )
    if kind == "wheel":
        wheels = tmp_path / "wheels"
        run(
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            wheels,
            source,
            cwd=tmp_path,
        )
        (wheel,) = wheels.glob("lmsgen-*.whl")
        run(*pip, wheel, cwd=tmp_path)
    else:
        run(*pip, "--no-build-isolation", source, cwd=tmp_path)
    shutil.rmtree(source)  # the install must not lean on the folder it came from
    return python.parent


@pytest.mark.parametrize("kind", ["wheel", "plain"])
def test_an_installed_lmsgen_generates_the_repository_bytes(
    kind: str, tmp_path: Path
) -> None:
    bin_dir = install(kind, tmp_path)
    where = run(
        bin_dir / "python", "-c", "import lmsgen; print(lmsgen.__file__)", cwd=tmp_path
    )
    assert str(tmp_path / "venv") in where, f"lmsgen imported from {where}"
    assert (
        run(bin_dir / "lmsgen", "--version", cwd=tmp_path)
        == f"lmsgen {lmsgen.__version__}\n"
    )

    # The committed output comes along: versions and CHANGES.md continue from it.
    work = tmp_path / "work"
    shutil.copytree(REPO / "specs", work / "specs")
    tracked = run("git", "ls-files", "generated", cwd=REPO).split()
    expected = {
        name.removeprefix("generated/"): (REPO / name).read_bytes() for name in tracked
    }
    for name, data in expected.items():
        (work / "generated" / name).parent.mkdir(parents=True, exist_ok=True)
        (work / "generated" / name).write_bytes(data)
    run(bin_dir / "lmsgen", "generate", "--force", cwd=work)
    produced = files_of(work / "generated")
    assert sorted(produced) == sorted(expected)
    differing = [name for name in expected if produced[name] != expected[name]]
    assert not differing, f"{kind} install generated other bytes in {differing[:10]}"
