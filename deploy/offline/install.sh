#!/usr/bin/env bash
# `make install-offline BUNDLE=tongxin-….tar.gz [PREFIX=/srv/tongxin]`: installs a bundle made by `make bundle`
# with no network at all: checks both checksums, unpacks into PREFIX (an upgrade keeps var/ and the settings),
# makes .venv from the bundled wheels only (--no-index), migrates, collects static files and prints how to
# start the services. DATABASE_URL and the other settings are read from the environment as usual
# (default: SQLite in PREFIX/var).
set -euo pipefail

bundle=${1:?用法：install.sh 安装包.tar.gz [安装目录]}
prefix=${2:-/srv/tongxin}
python=${PYTHON:-python3}
die() { echo "安装失败：$*" >&2; exit 1; }

[ -f "$bundle" ] || die "找不到安装包 $bundle"
bundle=$(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")
if [ -f "$bundle.sha256" ]; then
  (cd "$(dirname "$bundle")" && sha256sum -c --quiet "$(basename "$bundle").sha256") || die "安装包校验和不符（文件损坏或被改动）"
  echo "安装包校验和正确"
else
  echo "注意：没有找到 $(basename "$bundle").sha256，跳过对安装包本身的校验（包内文件仍逐一校验）"
fi
"$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || die "需要 Python 3.11（当前：$("$python" --version 2>&1)）"

mkdir -p "$prefix"
tar -xzf "$bundle" -C "$prefix" --strip-components=1
cd "$prefix"
sha256sum -c --quiet SHA256SUMS || die "包内文件校验失败"
echo "包内 $(wc -l < SHA256SUMS) 个文件校验正确"

test -x .venv/bin/python || "$python" -m venv .venv
PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/pip install -q --no-index --find-links wheels \
  -r requirements.txt -c constraints.txt || die "依赖安装失败（只使用包内 wheels，不联网）"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py check >/dev/null

mkdir -p deploy/offline/systemd/installed
for unit in deploy/offline/systemd/*.service; do
  sed "s#@PREFIX@#$prefix#g" "$unit" > "deploy/offline/systemd/installed/$(basename "$unit")"
done

cat <<DONE

同心已安装到 $prefix（未联网）。下一步：
  1. 第一次安装时创建学校和三名管理员（密码只显示一次）：
       cd $prefix && .venv/bin/python manage.py setup_college --name 学校名称 --slug 代码
  2. 编辑 /etc/tongxin.env（模板：$prefix/deploy/offline/tongxin.env.example），至少设置 SECRET_KEY、ALLOWED_HOSTS；
     使用 PostgreSQL 时设置 DATABASE_URL，并重新运行本安装（或 .venv/bin/python manage.py migrate）。
  3. 启动服务（systemd）：
       cp $prefix/deploy/offline/systemd/installed/*.service /etc/systemd/system/
       systemctl daemon-reload && systemctl enable --now tongxin-web tongxin-worker
     不用 systemd 时：
       cd $prefix && .venv/bin/gunicorn tongxin.wsgi --bind 127.0.0.1:8000 --workers 4 &
       cd $prefix && .venv/bin/python manage.py run_huey &
  4. 用 nginx 或学校的代理在前面提供 HTTPS，然后访问 /accounts/login/ 登录。
DONE
