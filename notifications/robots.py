"""Group-robot webhooks: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书).

Pure functions: the signed address and JSON body each platform documents, and one HTTP POST that
never follows a redirect and gives up after a short timeout. No Django models here.

- WeCom: `{"msgtype": "markdown", "markdown": {"content": …}}`; a personal notice is a `text`
  message with `mentioned_mobile_list`. The key is part of the URL; no signing.
- DingTalk: `{"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atMobiles"}}`. With a
  signing secret (加签) the URL gets `&timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256(key=secret,
  msg="<timestamp>\\n<secret>"))>`.
- Feishu: `{"msg_type": "text", "content": {"text"}}`. With a signing secret the body carries
  `timestamp` (seconds) and `sign` = base64(HMAC-SHA256(key="<timestamp>\\n<secret>", msg="")).
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote_plus, urlsplit

WECOM, DINGTALK, FEISHU = "wecom", "dingtalk", "feishu"


class DeliveryError(Exception):
    """The robot refused the message or could not be reached; the message says why."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def valid_webhook_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and not parts.username and not parts.password


def build_request(kind: str, url: str, *, secret: str, title: str, text: str, mentions=(), now=None):
    """(url, payload) for one message, signed when a secret is given."""
    now = time.time() if now is None else now
    mentions = [m for m in mentions if m]
    if kind == WECOM:
        if mentions:
            payload = {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": mentions}}
        else:
            payload = {"msgtype": "markdown", "markdown": {"content": text}}
    elif kind == DINGTALK:
        body = "\n\n".join(line for line in text.splitlines() if line.strip())
        if mentions:
            body += "\n\n" + " ".join(f"@{m}" for m in mentions)
        payload = {
            "msgtype": "markdown",
            "markdown": {"title": title[:64], "text": body},
            "at": {"atMobiles": mentions, "isAtAll": False},
        }
        if secret:
            timestamp = int(now * 1000)
            sign = quote_plus(dingtalk_sign(secret, timestamp))
            url = f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
    elif kind == FEISHU:
        payload = {"msg_type": "text", "content": {"text": text}}
        if secret:
            timestamp = int(now)
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp)} | payload
    else:
        raise ValueError(kind)
    return url, payload


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise DeliveryError(f"HTTP {code}：拒绝跟随重定向")


# No proxies from the environment, no redirects.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _RefuseRedirects)


def post(url: str, payload: dict, *, timeout: float) -> dict:
    """POSTs `payload` as JSON; returns the robot's JSON answer. Raises DeliveryError unless the
    answer is HTTP 2xx with errcode/code 0 (the platforms' success)."""
    if not valid_webhook_url(url):
        raise DeliveryError("Webhook 地址无效（只允许 http 或 https）")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above: http or https only)
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            raw = response.read(64 * 1024)
    except urllib.error.HTTPError as e:
        raise DeliveryError(f"HTTP {e.code}") from e
    except (urllib.error.URLError, OSError) as e:
        raise DeliveryError(f"无法连接：{getattr(e, 'reason', e)}") from e
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as e:
        raise DeliveryError("应答不是 JSON") from e
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, "0", None):
        raise DeliveryError(f"机器人拒绝：{code} {answer.get('errmsg') or answer.get('msg') or ''}".strip())
    return answer
