"""The API server's words for a request body that is not valid JSON: Go's ``encoding/json``
syntax errors (``scanner.go``), which the server returns as a BadRequest. kubectl sends a
patch that looks like JSON without parsing it (apimachinery ``yaml.ToJSON``), so a typo in
``kubectl patch -p '{...'`` is reported by the server in these words."""

from __future__ import annotations

WHITESPACE = b" \t\r\n"
ESCAPES = b'bfnrt\\/"'
HEX = b"0123456789abcdefABCDEF"
DIGITS = b"0123456789"
LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}
END_OF_INPUT = "unexpected end of JSON input"


def _quote_char(byte: int) -> str:
    """scanner.go quoteChar: the byte as strconv.Quote shows it, in single quotes."""
    if byte == ord("'"):
        return "'\\''"
    if byte == ord('"'):
        return "'\"'"
    char = chr(byte)  # Go quotes string(c): a byte above 0x7f is that code point
    named = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return f"'{named[char]}'"
    if char == "\v":
        return "'\\v'"
    if char == "\\":
        return "'\\\\'"
    if byte < 0x20 or byte == 0x7F:
        return f"'\\x{byte:02x}'"
    if 0x80 <= byte < 0xA0:
        return f"'\\u{byte:04x}'"
    return f"'{char}'"


class _Invalid(Exception):
    def __init__(self, byte: int, context: str) -> None:
        super().__init__(f"invalid character {_quote_char(byte)} {context}")


class _Scanner:
    """A recursive reading of one JSON value with the same first error Go's scanner finds.

    A number ends only at the byte after it, so the readers return that byte (or None when
    they consumed nothing past the value) for the caller to look at next."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _peek(self) -> int | None:
        return self.data[self.pos] if self.pos < len(self.data) else None

    def _next(self) -> int:
        byte = self._peek()
        if byte is None:
            raise EOFError
        self.pos += 1
        return byte

    def _skip_space(self) -> int:
        while (byte := self._next()) in WHITESPACE:
            pass
        return byte

    def value(self, first: int | None = None) -> int | None:
        byte = self._skip_space() if first is None else first
        if byte == ord("{"):
            self._object()
        elif byte == ord("["):
            self._array()
        elif byte == ord('"'):
            self._string()
        elif byte == ord("-") or byte in DIGITS:
            return self._number(byte)
        elif byte in LITERALS:
            self._literal(LITERALS[byte])
        else:
            raise _Invalid(byte, "looking for beginning of value")
        return None

    def _object(self) -> None:
        byte = self._skip_space()
        if byte == ord("}"):
            return
        while True:
            if byte != ord('"'):
                raise _Invalid(byte, "looking for beginning of object key string")
            self._string()
            byte = self._skip_space()
            if byte != ord(":"):
                raise _Invalid(byte, "after object key")
            byte = self._after(self.value())
            if byte == ord("}"):
                return
            if byte != ord(","):
                raise _Invalid(byte, "after object key:value pair")
            byte = self._skip_space()

    def _array(self) -> None:
        byte = self._skip_space()
        if byte == ord("]"):
            return
        lookahead = self.value(byte)
        while True:
            byte = self._after(lookahead)
            if byte == ord("]"):
                return
            if byte != ord(","):
                raise _Invalid(byte, "after array element")
            lookahead = self.value()

    def _after(self, lookahead: int | None) -> int:
        """The first byte after a value that is not a space."""
        if lookahead is not None and lookahead not in WHITESPACE:
            return lookahead
        return self._skip_space()

    def _string(self) -> None:
        while True:
            byte = self._next()
            if byte == ord('"'):
                return
            if byte == ord("\\"):
                escape = self._next()
                if escape == ord("u"):
                    for _ in range(4):
                        digit = self._next()
                        if digit not in HEX:
                            raise _Invalid(digit, "in \\u hexadecimal character escape")
                elif escape not in ESCAPES:
                    raise _Invalid(escape, "in string escape code")
            elif byte < 0x20:
                raise _Invalid(byte, "in string literal")

    def _number(self, first: int) -> int | None:
        byte: int | None = first
        if byte == ord("-"):
            byte = self._next()
            if byte not in DIGITS:
                raise _Invalid(byte, "in numeric literal")
        if byte != ord("0"):
            while (byte := self.next_or_end()) is not None and byte in DIGITS:
                pass
        else:
            byte = self.next_or_end()
        if byte == ord("."):
            byte = self._next()
            if byte not in DIGITS:
                raise _Invalid(byte, "after decimal point in numeric literal")
            while (byte := self.next_or_end()) is not None and byte in DIGITS:
                pass
        if byte in (ord("e"), ord("E")):
            byte = self._next()
            if byte in (ord("+"), ord("-")):
                byte = self._next()
            if byte not in DIGITS:
                raise _Invalid(byte, "in exponent of numeric literal")
            while (byte := self.next_or_end()) is not None and byte in DIGITS:
                pass
        # The byte after the number belongs to whatever follows it.
        return byte

    def next_or_end(self) -> int | None:
        byte = self._peek()
        if byte is not None:
            self.pos += 1
        return byte

    def _literal(self, word: bytes) -> None:
        name = word.decode()
        for expected in word[1:]:
            byte = self._next()
            if byte != expected:
                raise _Invalid(byte, f"in literal {name} (expecting {_quote_char(expected)})")


def syntax_error(text: str) -> str | None:
    """Go's message for the first syntax error in ``text``, or None if it is valid JSON."""
    scanner = _Scanner(text.encode("utf-8"))
    try:
        byte = scanner.value()
        if byte is None:
            byte = scanner.next_or_end()
        while byte is not None:
            if byte not in WHITESPACE:
                raise _Invalid(byte, "after top-level value")
            byte = scanner.next_or_end()
    except EOFError:
        return END_OF_INPUT
    except _Invalid as error:
        return str(error)
    return None


def looks_like_json(text: str) -> bool:
    """apimachinery ``yaml.hasJSONPrefix``: after leading whitespace, a ``{``."""
    return text.lstrip(" \t\r\n").startswith("{")
