"""JUnit XML: one test case per transcript (a response template is one transcript).

CI dashboards that read JUnit (GitLab, Jenkins, Azure) then list every linted
conversation: passed when it has no findings, failed with every finding in
the failure text, skipped when it could not be checked at all (unsupported or
undetectable language), errored when the file could not be read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TextIO

from ..codes import LANGUAGE
from ..errors import InputError
from ..model import Finding, Linted, Notice, Transcript
from .registry import ReportContext, register

#: The engine notice that means nothing was checked.
NOTHING_CHECKED = LANGUAGE.code


def _name(transcript: Transcript) -> str:
    if transcript.id:
        return f"{transcript.path}#{transcript.id}"
    if transcript.line:
        return f"{transcript.path}:{transcript.line}"
    return transcript.path


def _finding_text(finding: Finding) -> str:
    evidence = f' "{finding.evidence}"' if finding.evidence else ""
    return (
        f"turn {finding.turn + 1} ({finding.speaker}) {finding.code} {finding.rule} "
        f"[{finding.severity.value}]: {finding.message}{evidence}\n  try: {finding.suggestion}"
    )


@register("junit")
def write_junit(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    suite = ET.Element("testsuite", name="deescalate-lint")
    tests = failures = skipped = 0
    errors: list[InputError] = []
    for item in items:
        if item.error is not None:
            errors.append(item.error)  # listed after the transcripts
        transcript = item.transcript
        if transcript is None:  # an error, or a notice about a whole file: no test case
            continue
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=transcript.path, name=_name(transcript))
        findings = [r for r in item.results if isinstance(r, Finding)]
        notices = [r for r in item.results if isinstance(r, Notice)]
        if findings:
            failures += 1
            codes = sorted({f.code for f in findings})
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(findings)} finding(s): {', '.join(codes)}",
                type=findings[0].code,
            )
            failure.text = "\n".join(_finding_text(f) for f in findings)
        elif any(n.code == NOTHING_CHECKED for n in notices):
            skipped += 1
            message = next(n.message for n in notices if n.code == NOTHING_CHECKED)
            ET.SubElement(case, "skipped", message=message)
        if notices:
            system_out = ET.SubElement(case, "system-out")
            system_out.text = "\n".join(f"notice {n.code} {n.rule}: {n.message}" for n in notices)
    for error in errors:
        case = ET.SubElement(suite, "testcase", classname=error.path, name=error.path)
        ET.SubElement(case, "error", message=str(error), type="InputError")
    suite.set("tests", str(tests + len(errors)))
    suite.set("failures", str(failures))
    suite.set("errors", str(len(errors)))
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="deescalate-lint")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, suite.get(key, "0"))
    root.append(suite)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
