"""The ``madoguchi`` command: check definitions, draw a workflow, print the language's JSON
Schema, serve, manage clerks."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.definitions.loader import check_files, load_definition
from engine.definitions.models import Definition
from engine.definitions.problems import DefinitionError, Problem
from engine.definitions.schema import language_schema
from engine.text import LANGUAGES
from madoguchi import ops_cli, users_cli

DEFAULT_FORMS = Path("forms")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    return int(arguments.run(arguments))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="madoguchi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check procedure definitions and print every problem as file:line:column",
        description="Check definitions; exit 1 if there is any problem.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a definition file, or a folder of *.yaml files (default: forms/)",
    )
    check.set_defaults(run=_check)

    graph = commands.add_parser(
        "graph",
        help="draw a procedure's workflow as SVG or Mermaid",
        description="Print the workflow's states and transitions as a picture.",
    )
    graph.add_argument(
        "procedure",
        metavar="PROCEDURE_OR_FILE",
        help="a procedure id (looked up in the forms folder) or a definition file",
    )
    graph.add_argument("--format", choices=["svg", "mermaid"], default="svg")
    graph.add_argument("--language", choices=LANGUAGES, default="ja")
    graph.add_argument(
        "--forms", type=Path, default=DEFAULT_FORMS, help="folder of definitions (default forms/)"
    )
    graph.set_defaults(run=_graph)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the definition language (for editor completion)",
    )
    schema.set_defaults(run=_schema)

    serve = commands.add_parser(
        "serve",
        help="run the web application (options default to MADOGUCHI_* environment variables)",
        description="Migrate the database, publish the definitions and serve the portal.",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--forms", type=Path, help="folder of definitions (default forms/)")
    serve.add_argument("--data", type=Path, help="folder for the database and uploads (data/)")
    serve.add_argument("--database-url", help="sqlite:///path or postgresql://... (default SQLite)")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run the worker in this process (run `madoguchi worker` separately)",
    )
    serve.set_defaults(run=_serve)
    users_cli.register(commands)
    ops_cli.register(commands)
    return parser


def _check(arguments: argparse.Namespace) -> int:
    paths: list[Path] = arguments.paths or [DEFAULT_FORMS]
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        print(f"{path}: no such file or folder", file=sys.stderr)
    result = check_files([path for path in paths if path.exists()])
    _print_problems(result.problems)
    if result.problems or missing:
        return 1
    if not result.loaded:
        print("no definitions found", file=sys.stderr)
        return 1
    for loaded in result.loaded:
        definition = loaded.definition
        print(f"ok  {loaded.file}: {definition.procedure} v{definition.version}", file=sys.stderr)
    return 0


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)


def _graph(arguments: argparse.Namespace) -> int:
    from renderers.workflow_graph import mermaid, svg  # noqa: PLC0415 -- only this command draws

    definition = _definition(arguments.procedure, arguments.forms)
    if definition is None:
        return 1
    draw = mermaid if arguments.format == "mermaid" else svg
    print(draw(definition, arguments.language).rstrip("\n"))
    return 0


def _definition(name: str, forms: Path) -> Definition | None:
    """The definition in the file ``name``, or of the procedure ``name`` in ``forms``;
    None once the reason there is none has been printed."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and not path.exists():
        print(f"{path}: no such file or folder", file=sys.stderr)
        return None
    if path.is_file() or path.suffix in (".yaml", ".yml"):
        try:
            return load_definition(path).definition
        except DefinitionError as error:
            _print_problems(error.problems)
            return None
    if not forms.is_dir():
        print(f"{forms}: no such folder", file=sys.stderr)
        return None
    result = check_files([forms])
    found = [item for item in result.loaded if item.definition.procedure == name]
    files = {item.file for item in found}
    problems = [problem for problem in result.problems if problem.file in files]
    if len(found) == 1 and not problems:
        return found[0].definition
    if found:  # defined twice: check names both files
        _print_problems(problems)
        return None
    _print_problems(result.problems)  # a file that does not load may be the one asked for
    known = ", ".join(sorted(item.definition.procedure for item in result.loaded)) or "none"
    print(f"unknown procedure '{name}'; the procedures in {forms}/ are: {known}", file=sys.stderr)
    return None


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 -- only the server needs it

    from madoguchi import logs  # noqa: PLC0415
    from madoguchi.config import Settings  # noqa: PLC0415
    from madoguchi.web.app import create_app  # noqa: PLC0415

    given = {
        "host": arguments.host,
        "port": arguments.port,
        "forms": arguments.forms,
        "data": arguments.data,
        "database_url": arguments.database_url,
    }
    settings = Settings(**{key: value for key, value in given.items() if value is not None})
    try:
        app = create_app(settings)
    except DefinitionError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("madoguchi: not started: fix the definitions above", file=sys.stderr)
        return 1
    logs.configure()
    if not arguments.no_worker:
        from madoguchi.worker import start_in_background  # noqa: PLC0415

        start_in_background(app.state.services)
    print(f"Madoguchi on http://{settings.host}:{settings.port}/", file=sys.stderr)
    # Our own access log (madoguchi.web.middleware) leaves query strings out: links
    # carry tokens (resume, verify, reset). uvicorn's would log them.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


def _schema(arguments: argparse.Namespace) -> int:
    print(json.dumps(language_schema(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
