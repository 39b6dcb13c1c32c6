"""Read the form *Verksamhetsuppgifter* out of a Word attachment.

Units fill EKU's form in every way Word allows (domain/form.md): a table of labels and
answers, section rows, content controls, legacy form fields, labels as paragraphs with the
answer below, "Label: value" lines, and check boxes drawn as characters or as controls.
This package turns all of them into one :class:`VerksamhetsForm`, one concern per module:

- ``package``: opening the .docx, its bounds and XML hardening;
- ``walker``: one XML part → paragraphs and tables of plain text;
- ``vocabulary`` and ``labels``: which field a label names;
- ``checkboxes``: ticked and unticked options;
- ``text``: how labels are compared and answers tidied;
- ``reader``: from text to one answer per field;
- ``model``: the validated answers.
"""

from parsers.form.model import CHANGE_TYPES, FORM_LABELS, VerksamhetsForm
from parsers.form.package import (
    MAX_ATTACHMENT_BYTES,
    MAX_COMPRESSION_RATIO,
    MAX_MEMBER_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    is_word_attachment,
    refuse_oversized,
)
from parsers.form.reader import read_form

__all__ = [
    "CHANGE_TYPES",
    "FORM_LABELS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBER_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_MEMBERS",
    "VerksamhetsForm",
    "is_word_attachment",
    "read_form",
    "refuse_oversized",
]
