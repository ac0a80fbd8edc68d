"""Every module of the domain imports without the UI, checked at run time.

The import-linter contracts in pyproject.toml read the source; this test runs the imports
in a fresh interpreter and looks at `sys.modules`, so it also sees what a third-party
package drags in sideways (a dependency that pulls in Rich, say).
"""

import json
import os
import subprocess
import sys

import pytest

FORBIDDEN = ("textual", "rich", "wholiked.tui", "wholiked.fixtures")

# Lists the modules of wholiked.core without importing them (find_spec, not
# walk_packages, which imports every package it enters), then imports each in turn and
# notes which import first loaded each forbidden name.
PROBE = f"""
import importlib, importlib.util, json, pkgutil, sys

forbidden = {FORBIDDEN!r}

def loaded():
    return {{f for f in forbidden for m in sys.modules if m == f or m.startswith(f + ".")}}

names = ["wholiked.core"]
packages = [("wholiked.core", importlib.util.find_spec("wholiked.core"))]
while packages:
    package, spec = packages.pop()
    for info in pkgutil.iter_modules(spec.submodule_search_locations, package + "."):
        names.append(info.name)
        if info.ispkg:
            packages.append((info.name, info.module_finder.find_spec(info.name)))

leaks = dict.fromkeys(loaded(), "interpreter start-up")
for name in sorted(names):
    importlib.import_module(name)
    for found in loaded() - set(leaks):
        leaks[found] = name
print(json.dumps({{"modules": names, "leaks": leaks}}))
"""


def test_no_core_module_imports_the_ui():
    """Importing any module under core/ leaves textual, rich and the tui unloaded."""
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    # The walk found the rooms, not just the package: an empty walk would prove nothing.
    assert {
        "wholiked.core.service",
        "wholiked.core.actions",
        "wholiked.core.store.database",
        "wholiked.core.rules.policy",
        "wholiked.core.answers.tips.creator",
    } <= set(report["modules"])
    assert report["leaks"] == {}, f"loaded while importing: {report['leaks']}"


# What a scripted answer on a valid file never loads: the UI, pydantic (it only words a bad
# row) and the rooms of the commands it does not run.
NEVER = ("pydantic", "rich", "textual", "wholiked.fixtures", "wholiked.core.actions")
SCRIPTED = {
    "likers": (
        ["likers", "1", "--as", "mia.makes", "--json", "--limit", "100"],
        (
            *NEVER,
            "wholiked.core.release",
            "wholiked.core.answers.analytics",
            "wholiked.core.answers.audit",
        ),
    ),
    "analytics": (
        ["analytics", "--as", "mia.makes", "--json", "--window", "all"],
        (*NEVER, "wholiked.core.answers.likers", "wholiked.core.answers.tips"),
    ),
}

RUN = """
import json, sys
from wholiked.tui.cli import main
args, unwanted = json.loads(sys.argv[1])
try:
    main(args)
except SystemExit as exit_:
    assert exit_.code == 0, exit_.code
print(json.dumps(sorted({u for u in unwanted for m in sys.modules
                         if m == u or m.startswith(u + ".")})))
"""


@pytest.mark.parametrize("command", list(SCRIPTED))
def test_a_scripted_json_answer_loads_only_what_it_uses(command, demo_path, tmp_path):
    """`likers --json` and `analytics --json` on a valid file, in a fresh interpreter: no
    pydantic, Rich or Textual, nor another command's room (each costs every call)."""
    args, unwanted = SCRIPTED[command]
    probe = json.dumps([[*args, "--db", str(demo_path)], unwanted])
    env = {**os.environ, "WHOLIKED_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", RUN, probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [], f"{command} loaded them"
