"""For the English-interface tests (issue 10, defect 10): a page rendered in English shows no
Chinese characters except the user data the test put there (names, titles, departments…).

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert chinese_outside(response, user_data=["王同心", "党委统战部"]) == []
"""

import re
from html.parser import HTMLParser

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class _Text(HTMLParser):
    """Visible text and the attributes people read (title, placeholder, alt, aria-label, value of buttons)."""

    SKIP = {"script", "style"}
    READ_ATTRS = {"title", "placeholder", "alt", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_option = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        for name, value in attrs:
            if value and (
                name in self.READ_ATTRS or (tag == "input" and name == "value" and ("type", "submit") in attrs)
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


# Names of languages are written in their own language in the switch (简体中文 / English).
ALWAYS_ALLOWED = ["简体中文"]


def chinese_outside(response_or_html, *, user_data: list[str] = ()) -> list[str]:
    """The runs of Chinese characters on the page that are not part of `user_data`."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    text = visible_text(html)
    for value in sorted([str(v) for v in (*user_data, *ALWAYS_ALLOWED)], key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    return CJK.findall(text)
