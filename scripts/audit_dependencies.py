"""Audit the pinned requirements (and the installed environment) with pip-audit.

Exit status: 0 when nothing vulnerable was found, 1 when pip-audit reports a
known vulnerability, 2 when pip-audit itself failed. When the vulnerability
database cannot be reached, or answers for none of the packages, this says so
plainly (a NOTICE) and exits 0, or 3 with --strict: an unaudited run must never
read as a clean one.
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORK_TROUBLE = re.compile(
    r"ConnectionError|NameResolution|Name or service not known|Max retries exceeded|timed out|"
    r"Temporary failure in name resolution|Network is unreachable|Connection refused|SSLError|ProxyError",
    re.I,
)


def run_pip_audit(args: list[str]) -> tuple[dict | None, str]:
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off", *args]
    # Safe: this interpreter running pip-audit with fixed arguments, no shell.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    try:
        return json.loads(result.stdout), result.stderr
    except json.JSONDecodeError:
        return None, result.stderr or result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", default="requirements.txt")
    parser.add_argument("--strict", action="store_true", help="exit 3 when the audit could not be done")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    options = parser.parse_args()

    runs = {
        f"pinned requirements ({options.requirements})": [
            "-r",
            options.requirements,
            "--no-deps",
            "--disable-pip",
            "-s",
            options.service,
        ],
        "installed environment (including indirect dependencies)": ["-l", "-s", options.service],
    }
    vulnerable, unaudited, total = [], set(), set()
    for label, args in runs.items():
        report, errors = run_pip_audit(args)
        if report is None:
            if NETWORK_TROUBLE.search(errors):
                print(
                    f"NOTICE: pip-audit could not reach the vulnerability service ({options.service}) for the "
                    f"{label}; NOTHING WAS AUDITED.\n  {errors.strip().splitlines()[-1][:300]}"
                )
                unaudited.add(label)
                continue
            print(f"ERROR: pip-audit failed on the {label}:\n{errors.strip()[-2000:]}")
            return 2
        for dependency in report.get("dependencies", []):
            name = f"{dependency['name']}=={dependency['version']}" if dependency.get("version") else dependency["name"]
            total.add(name)
            if dependency.get("skip_reason"):
                unaudited.add(name)
            for vuln in dependency.get("vulns", []):
                fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                vulnerable.append(f"{name}: {vuln['id']} (fixed in {fixes})")
    for line in sorted(set(vulnerable)):
        print(f"VULNERABLE: {line}")
    audited = total - unaudited
    print(f"pip-audit: {len(audited)} of {len(total)} packages audited, {len(set(vulnerable))} known vulnerabilities.")
    if vulnerable:
        return 1
    if unaudited:
        names = sorted(n for n in unaudited if n in total)
        if names:
            print(
                f"NOTICE: the vulnerability service ({options.service}) had no answer for {len(names)} packages "
                f"(e.g. {', '.join(names[:5])}); they were NOT audited. This usually means the service is "
                "unreachable from here. Run `make security` where it is reachable before a release."
            )
        return 3 if options.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
