#!/usr/bin/env bash
# `make test-offline` (run by .ci/run): build the bundle, then install and start it inside a network
# namespace that has only a loopback interface (no route out), create the college, log in and load a page.
# Needs root (ip netns). Fails on any step; prints what it measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

work=$(mktemp -d /tmp/tongxin-offline.XXXXXX)
ns="tongxin-offline-$$"
port=8765
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
in_ns() { ip netns exec "$ns" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" LANG=C.UTF-8 "$@"; }

# The server's own python3 (Debian's, when present: a different 3.11.x from the one that built the bundle).
target_python=$(python3 -c 'import sys; print(sys.executable)')
if /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  target_python=/usr/bin/python3
fi
echo "目标 Python：$target_python（$("$target_python" --version)）"

start=$(date +%s)
BUNDLE_DIR="$work/dist" "$repo/deploy/offline/build.sh"
bundle=$(ls "$work"/dist/tongxin-*.tar.gz)
built=$(date +%s)

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
# The namespace has no way out: no route, so even an address needs no DNS fails at once.
if in_ns "$target_python" -c "import socket; socket.create_connection(('1.1.1.1', 443), timeout=3)" 2>/dev/null; then
  echo "测试环境有外网连接，无法证明离线安装" >&2; exit 1
fi
echo "网络命名空间 $ns：只有 lo，无外网路由"

# Install from a copy of the bundle alone: the repository is not visible to the installer.
mkdir -p "$work/server"
cp "$bundle" "$bundle.sha256" "$work/server/"
tar -xzf "$bundle" -C "$work/server"
src=$(ls -d "$work"/server/tongxin-*/)
in_ns PYTHON="$target_python" make -s -C "$src" install-offline BUNDLE="$work/server/$(basename "$bundle")" PREFIX="$work/srv"
installed=$(date +%s)

in_ns TONGXIN_2FA_REQUIRED=0 "$work/srv/.venv/bin/python" "$work/srv/manage.py" setup_college --name 离线测试学院 --slug offline \
  > "$work/admins.txt"
password=$(sed -n 's/.*用户名 sysadmin  初始密码 \(\S*\).*/\1/p' "$work/admins.txt")
[ -n "$password" ] || { cat "$work/admins.txt"; echo "setup_college 没有打印密码" >&2; exit 1; }

in_ns TONGXIN_2FA_REQUIRED=0 "$work/srv/.venv/bin/gunicorn" --chdir "$work/srv" tongxin.wsgi \
  --bind "127.0.0.1:$port" --workers 1 --log-level warning &
for _ in $(seq 1 30); do
  in_ns "$target_python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/accounts/login/', timeout=2)" \
    2>/dev/null && break
  sleep 1
done
in_ns "$work/srv/.venv/bin/python" "$work/srv/deploy/offline/smoke.py" "http://127.0.0.1:$port" sysadmin "$password" 系统管理员
done_at=$(date +%s)
echo "离线安装测试通过：打包 $((built - start)) s，安装 $((installed - built)) s，共 $((done_at - start)) s；" \
  "安装包 $(du -h "$bundle" | cut -f1)"
