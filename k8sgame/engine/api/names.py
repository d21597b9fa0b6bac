"""Name and label validation with the API server's messages.

Messages and patterns from ``apimachinery/pkg/util/validation/validation.go`` (``RegexError``
joins examples as ``'a',  or 'b', `` — the double space is upstream's).
"""

from __future__ import annotations

import re


def regex_error(message: str, pattern: str, *examples: str) -> str:
    """``RegexError``: the message, its examples and the pattern, as upstream words them."""
    if not examples:
        return f"{message} (regex used for validation is '{pattern}')"
    text = message + " (e.g. "
    for index, example in enumerate(examples):
        if index:
            text += " or "
        text += f"'{example}', "
    return text + f"regex used for validation is '{pattern}')"


DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
# RelaxedEnvironmentVariableValidation is GA and locked on since 1.34 (IsRelaxedEnvVarName).
ENV_VAR_NAME_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='"

_LABEL = re.compile(f"^{DNS1123_LABEL_FMT}$")
_SUBDOMAIN = re.compile(f"^{DNS1123_SUBDOMAIN_FMT}$")
_DNS1035 = re.compile(f"^{DNS1035_LABEL_FMT}$")
_QUALIFIED = re.compile(f"^{QUALIFIED_NAME_FMT}$")
_LABEL_VALUE = re.compile(f"^{LABEL_VALUE_FMT}$")


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def max_bytes_error(length: int) -> str:
    """Label keys and values count bytes since 1.35 (``pkg/api/validate/content``)."""
    return f"must be no more than {length} bytes"


def dns1123_label(value: str) -> list[str]:
    """Problems with a DNS-1123 label (container names, namespace names)."""
    errors = []
    if len(value) > 63:
        errors.append(max_len_error(63))
    if not _LABEL.match(value):
        errors.append(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errors


def dns1123_subdomain(value: str) -> list[str]:
    """Problems with a DNS-1123 subdomain (most object names)."""
    errors = []
    if len(value) > 253:
        errors.append(max_len_error(253))
    if not _SUBDOMAIN.match(value):
        errors.append(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errors


def dns1035_label(value: str) -> list[str]:
    """Problems with a DNS-1035 label (Service names)."""
    errors = []
    if len(value) > 63:
        errors.append(max_len_error(63))
    if not _DNS1035.match(value):
        errors.append(regex_error(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errors


def qualified_name(value: str) -> list[str]:
    """Problems with a label or annotation key (``prefix/name``)."""
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
        prefix_errors: list[str] = []
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            prefix_errors = ["prefix part must be non-empty"]
        else:
            prefix_errors = ["prefix part " + msg for msg in dns1123_subdomain(prefix)]
    else:
        return [
            "a qualified name "
            + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    errors = list(prefix_errors)
    if not name:
        errors.append("name part must be non-empty")
    elif len(name) > 63:
        errors.append("name part " + max_bytes_error(63))
    if name and not _QUALIFIED.match(name):
        errors.append(
            "name part "
            + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errors


def label_value(value: str) -> list[str]:
    """Problems with a label value."""
    errors = []
    if len(value.encode()) > 63:
        errors.append(max_bytes_error(63))
    if not _LABEL_VALUE.match(value):
        errors.append(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errors


def env_var_name(value: str) -> list[str]:
    """Problems with an environment variable name (``IsRelaxedEnvVarName``)."""
    if all(" " <= c <= "~" and c != "=" for c in value):
        return []
    return [ENV_VAR_NAME_MSG]
