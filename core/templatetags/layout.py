"""`{% joinlines %}...{% endjoinlines %}`: write one long line of template code over several short lines.

The line breaks (and the indentation after them) inside the block are removed from the template's own
text when the template is compiled, so the output is exactly that of the one-line original; what the
variables and tags inside render is left as it is. Use it where a line break would show as a space in
running text (Chinese has none between words), e.g. a chain of {% if %} inside a sentence."""

import re

from django import template
from django.template.base import TextNode

register = template.Library()

BREAK = re.compile(r"\n[ \t]*")


def _join(nodelist) -> None:
    for node in nodelist:
        if isinstance(node, TextNode):
            node.s = BREAK.sub("", node.s)
        for attribute in getattr(node, "child_nodelists", ()):
            _join(getattr(node, attribute, None) or ())


class JoinLinesNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist
        _join(nodelist)

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def joinlines(parser, token):
    nodelist = parser.parse(("endjoinlines",))
    parser.delete_first_token()
    return JoinLinesNode(nodelist)
