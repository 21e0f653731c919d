"""Loading definitions: YAML text → checked ``Definition``, or every problem, located."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.definitions.analysis import Finding, analyse_fields
from engine.definitions.models import Definition
from engine.definitions.partial import keep, prune
from engine.definitions.problems import DefinitionError, Problem
from engine.definitions.structure_errors import structure_problems, yaml_paths
from engine.definitions.workflow_checks import analyse_workflow
from engine.definitions.yaml_source import MAX_FILE_BYTES, SourceMap, YamlProblem, read_yaml

TEMPLATES_FOLDER = "templates"  # document templates live in forms/templates/
MAX_TEMPLATE_BYTES = 256 * 1024


@dataclass(frozen=True)
class LoadedDefinition:
    """A checked definition, where it came from, and the hash that pins its content."""

    definition: Definition
    file: str
    content_hash: str  # of the data and the templates: both are pinned by the version
    data: Any  # the plain data the YAML held, which is what storage keeps and re-parses
    source: SourceMap
    # The document templates' text by file name (``documents: {template: ...}``), kept
    # with the version so a document is always rendered as that version had it.
    templates: Mapping[str, str] = field(default_factory=dict)


def parse_definition(
    text: str, *, file: str = "<definition>", templates_dir: Path | None = None
) -> LoadedDefinition:
    """Parse and check one definition; raise DefinitionError listing every problem."""
    try:
        data, source = read_yaml(text)
    except YamlProblem as problem:
        located = Problem(file, problem.line, problem.column, problem.message)
        raise DefinitionError([located]) from None
    return check_data(data, source, file=file, templates_dir=templates_dir)


def check_data(
    data: Any,
    source: SourceMap,
    *,
    file: str,
    templates_dir: Path | None,
    templates: Mapping[str, str] | None = None,
) -> LoadedDefinition:
    """Check plain ``data``; document templates are read from ``templates_dir``, or given
    as ``templates`` (what storage kept), or neither (a check without them)."""
    try:
        definition = Definition.model_validate(data)
    except ValidationError as error:
        located = structure_problems(error, data, source, Definition)
        problems = [Problem(file, mark.line, mark.column, message) for mark, message in located]
        pruned = prune(data, yaml_paths(error, data))
        if pruned is not None:
            findings = _analyse(Definition.model_validate(pruned.data), templates_dir)
            problems += [_locate(finding, source, file) for finding in keep(findings, pruned)]
        raise DefinitionError(problems) from None
    findings = _analyse(definition, templates_dir)
    if findings:
        raise DefinitionError([_locate(finding, source, file) for finding in findings])
    if templates is None:
        templates = _read_templates(definition, templates_dir, source, file)
    pinned = pinned_hash(data, templates)
    return LoadedDefinition(definition, file, pinned, data, source, dict(templates))


def _read_templates(
    definition: Definition, templates_dir: Path | None, source: SourceMap, file: str
) -> dict[str, str]:
    if templates_dir is None:
        return {}
    templates: dict[str, str] = {}
    for name, spec in definition.documents.items():
        if spec.template is None:
            continue
        try:
            templates[spec.template] = read_template(templates_dir / spec.template)
        except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            finding = Finding(
                ("documents", name, "template"), f"cannot read template '{spec.template}': {error}"
            )
            raise DefinitionError([_locate(finding, source, file)]) from None
    return templates


def _analyse(definition: Definition, templates_dir: Path | None) -> list[Finding]:
    return analyse_fields(definition) + analyse_workflow(definition, templates_dir)


def load_definition(path: Path) -> LoadedDefinition:
    """Load a definition file; templates are looked up in ``templates/`` beside it."""
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            raise DefinitionError([Problem(str(path), 1, 1, "not a regular file")])
        with path.open("rb") as stream:
            content = stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise DefinitionError(
                [Problem(str(path), 1, 1, f"file is larger than {MAX_FILE_BYTES:,} bytes")]
            )
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DefinitionError(
            [Problem(str(path), 1, 1, f"not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise DefinitionError(
            [Problem(str(path), 1, 1, f"cannot read: {error.strerror}")]
        ) from None
    return parse_definition(text, file=str(path), templates_dir=path.parent / TEMPLATES_FOLDER)


def read_template(path: Path) -> str:
    """A document template's text; OSError or ValueError (too large, not UTF-8) if not."""
    with path.open("rb") as stream:
        content = stream.read(MAX_TEMPLATE_BYTES + 1)
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ValueError(f"larger than {MAX_TEMPLATE_BYTES:,} bytes")
    return content.decode("utf-8")


def content_hash(data: Any) -> str:
    """sha256 of the definition's content: comments, key order and layout do not count."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pinned_hash(data: Any, templates: Mapping[str, str]) -> str:
    """The hash a version pins: the definition's content and its document templates' text.
    Without templates it is the content hash alone, as versions published before templates
    were kept have it."""
    if not templates:
        return content_hash(data)
    return content_hash({"definition": data, "templates": dict(templates)})


def definition_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the *.yaml / *.yml files directly inside the folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    unique = {file.resolve(): file for file in reversed(files)}  # a file named twice: once
    return [file for file in files if unique[file.resolve()] is file]


@dataclass(frozen=True)
class CheckResult:
    loaded: list[LoadedDefinition]
    problems: list[Problem]


def check_files(paths: Iterable[Path]) -> CheckResult:
    """Load every definition; collect all problems, including procedures defined twice."""
    loaded: list[LoadedDefinition] = []
    problems: list[Problem] = []
    files = definition_files(paths)
    for path in files:
        try:
            loaded.append(load_definition(path))
        except DefinitionError as error:
            problems.extend(error.problems)
    problems.extend(_duplicate_procedures(loaded))
    return CheckResult(loaded, problems)


def _duplicate_procedures(loaded: list[LoadedDefinition]) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for item in loaded:
        procedure = item.definition.procedure
        if procedure in first:
            problems.append(
                Problem(
                    item.file,
                    1,
                    1,
                    f"procedure '{procedure}' is also defined in {first[procedure]}",
                )
            )
        first.setdefault(procedure, item.file)
    return problems


def _locate(finding: Finding, source: SourceMap, file: str) -> Problem:
    if finding.offset is None:
        mark = source.locate(finding.path)
    else:
        mark = source.locate_in_text(finding.path, finding.offset)
    message = finding.message
    if finding.also is not None:
        message += f" (also at line {source.locate(finding.also).line})"
    return Problem(file, mark.line, mark.column, message)
