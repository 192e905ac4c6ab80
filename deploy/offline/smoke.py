"""After an offline install: log in as the given account and load the home page, with nothing but the
standard library (the test runs it inside a network namespace with no route out).

    python smoke.py http://127.0.0.1:8765 sysadmin 'password' 系统管理员

Exits 0 when the login succeeds and the home page (status 200) shows the expected text."""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


def main(base: str, username: str, password: str, expected: str) -> int:
    if not base.startswith(("http://", "https://")):
        print("地址须以 http:// 或 https:// 开头", file=sys.stderr)
        return 2
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"{base}/accounts/login/"
    page = opener.open(login_url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        print("登录页没有 CSRF 令牌", file=sys.stderr)
        return 1
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password, "next": ""}
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})  # noqa: S310 (http only)
    response = opener.open(request, timeout=30)
    home = response.read().decode()
    if response.status != 200 or response.geturl().rstrip("/").endswith("/accounts/login"):
        print(f"登录失败：{response.status} {response.geturl()}", file=sys.stderr)
        return 1
    if expected not in home:
        print(f"首页没有显示“{expected}”：{response.geturl()}", file=sys.stderr)
        return 1
    static = re.search(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', home)
    if static and opener.open(base + static.group(1), timeout=10).status != 200:
        print(f"静态文件无法访问：{static.group(1)}", file=sys.stderr)
        return 1
    print(f"登录成功：{username} → {response.geturl()}（页面含“{expected}”）")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
