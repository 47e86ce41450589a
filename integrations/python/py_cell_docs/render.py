"""How a block of a documentation page becomes a ``<py-cell>``: the contract shared with the
JavaScript integrations (``test/fixtures/cells/golden.json``).

A cell is given as attributes (``[(name, value)]``, ``None`` for a boolean attribute written
bare) and a body (the code, with ``#| setup``, ``#| check``, ``#| hint`` and ``#| solution``
lines starting the parts of an exercise). ``parse_info`` reads attributes from a fence's info
string (``py-cell session="intro" autorun``); the Sphinx directive gives them as options.
"""

import json
import math
import re
from pathlib import Path

__all__ = ['CellError', 'ATTRIBUTES', 'parse_info', 'parse_attributes', 'check_attributes', 'render_cell', 'render_info']


class CellError(ValueError):
    """A cell that cannot be written: the message names the problem."""


#: The attribute list, generated from py-cell's one list (``cell/attributes.ts``) by
#: ``scripts/gen-attributes.mjs``: the JavaScript integrations check fences against the same list.
TABLE = json.loads(Path(__file__).with_name('attributes.json').read_text(encoding='utf-8'))

#: The attributes a fence or directive may set and the kind of value each takes: ``flag`` (boolean,
#: written bare), ``text`` (not blank), ``seconds`` (a positive number), ``count`` (a whole number >= 0).
ATTRIBUTES = {entry['name']: entry['kind'] for entry in TABLE['attributes'] if entry['fence']}

#: HTML's global attributes a cell may carry too (``id`` keys a ``persist`` cell's saved code), and
#: the prefixes of the others (``data-``, ``aria-``), with any value.
GLOBAL_ATTRIBUTES = tuple(TABLE['globals'])
GLOBAL_PREFIXES = tuple(TABLE['globalPrefixes'])

#: The rule of each kind of value but ``flag``: (the pattern the whole value matches, whether it
#: must be a finite number above 0, what it must be).
VALUE_RULES = {kind: (re.compile(rule['pattern']), rule['positive'], rule['expected']) for kind, rule in TABLE['values'].items()}

#: The lines that start an exercise's parts, exactly.
PARTS = {'#| setup': 'setup', '#| check': 'check', '#| hint': 'hint', '#| solution': 'solution'}

_NAME_AT = re.compile(r'[A-Za-z_][-A-Za-z0-9_:.]*')
_SPACES = re.compile(r'[ \t\n\f\r]*')
_UNQUOTED = re.compile(r'[^ \t\n\f\r"\'=<>`]+')
_SPACE = ' \t\n\r\f'


def parse_info(info):
    """The attributes of a fence's info string, ``py-cell`` followed by attributes written as in
    HTML: ``name``, ``name=value``, ``name="value"`` or ``name='value'``, in the order written."""
    info = info.strip(_SPACE)
    head = re.match(r'[^\s]*', info).group(0)
    if head != 'py-cell':
        raise CellError(f'a py-cell block starts with "py-cell", not {head!r}')
    return parse_attributes(info[len(head):])


def parse_attributes(text):
    """``[(name, value)]`` from attributes written as in HTML (``name``, ``name=value``,
    ``name="value"``, ``name='value'``; spaces around ``=`` allowed); ``value`` is ``None`` when
    bare. Reads as the JavaScript integrations do (integrations/markdown/shared.ts)."""
    attributes = []
    at = _match(_SPACES, text, 0)
    while at < len(text):
        name = text[at:_match(_NAME_AT, text, at)]
        if name == '':
            raise CellError(f'expected an attribute name at {text[at:]!r}: a name is letters, digits, "-", "_", ":", "."')
        at += len(name)
        value = None
        after = _match(_SPACES, text, at)
        if after < len(text) and text[after] == '=':
            at = _match(_SPACES, text, after + 1)
            if at < len(text) and text[at] in '"\'':
                close = text.find(text[at], at + 1)
                if close < 0:
                    raise CellError(f'unclosed quote ({text[at]}) in the value of the attribute {name!r}')
                value, at = text[at + 1:close], close + 1
            else:
                end = _match(_UNQUOTED, text, at)
                if end == at:
                    raise CellError(f'the attribute {name!r} has "=" but no value (quote a value with spaces or "\'=<>`)')
                value, at = text[at:end], end
        attributes.append((name, value))
        space = _match(_SPACES, text, at)
        if space == at and at < len(text):
            raise CellError(f'expected a space after the attribute {name!r}, found {text[at:]!r}')
        at = space
    return attributes


def _match(pattern, text, at):
    """Where ``pattern``, matched at ``at``, ends."""
    return pattern.match(text, at).end() if pattern.match(text, at) else at


def check_attributes(attributes):
    """The attributes as they will be written: names known, values valid, booleans bare."""
    checked, seen = [], set()
    for name, value in attributes:
        key = name.lower()
        if key in seen:
            raise CellError(f'attribute {name!r} is given twice')
        seen.add(key)
        kind = ATTRIBUTES.get(key)
        if kind is None and (key in GLOBAL_ATTRIBUTES or key.startswith(GLOBAL_PREFIXES)):
            kind = 'any'
        if kind is None:
            raise CellError(f'unknown attribute {name!r}; py-cell\'s attributes are {", ".join(ATTRIBUTES)}')
        if kind == 'flag':
            if value not in (None, '', key):
                raise CellError(f'attribute {name!r} is boolean: write it alone (present means on), not {name}={value!r}')
            value = None
        elif kind != 'any':
            if value is None:
                raise CellError(f'attribute {name!r} needs a value ({name}="...")')
            if not _follows(VALUE_RULES[kind], value):
                raise CellError(f'attribute {name!r} must be {VALUE_RULES[kind][2]}, not {value!r}')
        checked.append((name, value))
    return checked


def _follows(rule, value):
    """Whether the value follows the rule of its kind (as ``cell/attributes.ts`` checks it)."""
    pattern, positive, _ = rule
    if not pattern.fullmatch(value):
        return False
    return not positive or (math.isfinite(float(value)) and float(value) > 0)


def _escape(text):
    """Text for HTML, or for an attribute value in double quotes."""
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def _attribute(name, value):
    return f' {name}' if value is None else f' {name}="{_escape(value)}"'


_SCRIPT_SAFE = re.compile(r'<(\\*)(/script|!--)', re.IGNORECASE)


def _script_text(code):
    """The code as a script element's text: ``</script`` is written ``<\\/script`` and ``<!--``
    is written ``<\\!--`` (the element reads both back), so the browser's parser always ends the
    script at its own ``</script>``: without a comment opener it never enters the "escaped"
    states of script data. A backslash already there gets one more, so the code comes back
    exactly (``<\\/script`` is written ``<\\\\/script``)."""
    return _SCRIPT_SAFE.sub(lambda m: '<\\' + m.group(1) + m.group(2), code)


def _split_parts(body, exercise):
    """``[(kind, text)]``: the code, then an exercise's parts in the order written. The body's
    last line ending is not part of the code."""
    body = body.replace('\r\n', '\n')
    if body.endswith('\n'):
        body = body[:-1]
    parts = [['code', []]]
    for line in body.split('\n'):
        if exercise and line in PARTS:
            kind = PARTS[line]
            if kind != 'hint' and any(seen == kind for seen, _ in parts):
                raise CellError(f'an exercise has one "#| {kind}" part, found a second')
            parts.append([kind, []])
        else:
            parts[-1][1].append(line)
    return [(kind, '\n'.join(part)) for kind, part in parts]


def _hint(text):
    paragraphs = [p.strip() for p in re.split(r'\n[ \t]*\n', text) if p.strip()]
    if not paragraphs:
        raise CellError('a "#| hint" part is empty')
    return ''.join(f'<p>{_escape(p)}</p>' for p in paragraphs)


def code_block(code):
    """The learner's code as a plain code block (as markdown-it writes a ``python`` fence), which
    the element reads as its source."""
    return f'<pre><code class="language-python">{_escape(code)}\n</code></pre>\n'


def render_cell(attributes, body, code_html=code_block):
    """The ``<py-cell>`` for these attributes and body, as HTML ending in a newline. The learner's
    code is a visible code block (``code_html(code)``: the site's highlighter where it has one),
    shown before the element loads and without JavaScript; an exercise's other parts are
    scripts, never shown."""
    attributes = check_attributes(attributes)
    exercise = any(name.lower() == 'exercise' for name, _ in attributes)
    out = ['<py-cell', *(_attribute(name, value) for name, value in attributes), '>']
    for kind, text in _split_parts(body, exercise):
        if kind == 'hint':
            out.append(f'<template data-hint>{_hint(text)}</template>')
        elif kind == 'code':
            out.append(code_html(text))
        else:
            out.append(f'<script type="text/x-python" data-{kind}>{_script_text(text)}</script>')
    out.append('</py-cell>\n')
    return ''.join(out)


def render_info(info, body):
    """The ``<py-cell>`` of a fenced block: its info string and its body."""
    return render_cell(parse_info(info), body)
