"""Problems found in a procedure definition, located at a line and column of its file."""

from __future__ import annotations

from dataclasses import dataclass

# A path into the YAML document: mapping keys and sequence indexes, from the root.
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a definition; ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class DefinitionError(Exception):
    """A definition could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
