"""Input formats for English: the same ISO-first rule as zh_Hans (see there)."""

from tongxin.formats.zh_Hans.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
