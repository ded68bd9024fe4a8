#!/usr/bin/env python3
"""Writes the licences of what the app ships, for its About box, from the lock files:
every crate the desktop app links (normal dependencies of `econfiance-desktop`, every
platform, as resolved in Cargo.lock through `cargo metadata --locked`) and every npm
package the UI bundles (the non-development packages of ui/package-lock.json).

Usage: scripts/licences.py [--check]
  Writes ui/src/generated/licences.json; with --check, only says whether that file is up
  to date (exit 1 if not), as the test command does.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "ui" / "src" / "generated" / "licences.json"


def rust_crates():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in meta["packages"]}
    members = set(meta["workspace_members"])
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(p["id"] for p in meta["packages"] if p["name"] == "econfiance-desktop")
    seen, stack = set(), [root]
    while stack:
        node = nodes[stack.pop()]
        for dep in node["deps"]:
            # Normal dependencies only (kind null): build scripts and tests are not shipped.
            if any(k["kind"] is None for k in dep["dep_kinds"]) and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
    crates = []
    for pid in seen - members:
        p = packages[pid]
        crates.append(
            {
                "name": p["name"],
                "version": p["version"],
                "license": p.get("license") or "voir le dépôt / see repository",
                "repository": p.get("repository") or "",
            }
        )
    return sorted(crates, key=lambda c: (c["name"], c["version"]))


def npm_packages():
    lock = json.loads((REPO / "ui" / "package-lock.json").read_text())
    out = []
    for path, p in lock["packages"].items():
        if not path or p.get("dev") or p.get("devOptional"):
            continue
        name = path.split("node_modules/")[-1]
        out.append(
            {
                "name": name,
                "version": p.get("version", ""),
                "license": p.get("license") or "voir le dépôt / see repository",
                "repository": "",
            }
        )
    return sorted(out, key=lambda c: (c["name"], c["version"]))


def main():
    text = json.dumps({"rust": rust_crates(), "npm": npm_packages()}, ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT.relative_to(REPO)} is out of date: run scripts/licences.py", file=sys.stderr)
            sys.exit(1)
        print(f"{OUT.relative_to(REPO)} is up to date")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
