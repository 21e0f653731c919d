"""Citizens' answers: validation against a definition, and form posts turned into answers."""

from engine.answers.encoding import answers_schema, from_jsonable, to_jsonable
from engine.answers.form_data import unflatten
from engine.answers.validator import AnswerError, Answers, ValidationResult, validate_answers

__all__ = [
    "AnswerError",
    "Answers",
    "ValidationResult",
    "answers_schema",
    "from_jsonable",
    "to_jsonable",
    "unflatten",
    "validate_answers",
]
