"""Chinese, full-width and circled numerals → int."""

from __future__ import annotations

from functools import lru_cache

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int | None:
    """Convert a Chinese numeral such as 二十一 or 一百零五 to an int; None if it is not one."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit form such as 二〇二三
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


@lru_cache(maxsize=1024)
def to_int(text: str) -> int | None:
    """Convert an Arabic (half- or full-width), Chinese or circled numeral to an int."""
    text = text.strip()
    if not text:
        return None
    ascii_text = text.translate(FULLWIDTH_DIGITS)
    if ascii_text.isascii() and ascii_text.isdigit():
        return int(ascii_text)
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED.index(text) + 1
    return cn_to_int(text)


def int_to_cn(number: int) -> str:
    """Render 1..999 as a Chinese numeral (一, 十一, 二十, 一百零五); other values as digits."""
    if not 0 < number < 1000:
        return str(number)
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if tens == 0 and ones:
            return out + "零" + digits[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out
