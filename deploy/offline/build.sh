#!/usr/bin/env bash
# `make bundle`: one archive for an intranet server with no internet. It holds the source as committed
# (migrations and compiled catalogues included), a wheel of every pinned dependency for the target Python
# and platform, the front-end packages from the npm registry (production dependencies only), the install
# script, a one-page Chinese guide, systemd units and SHA256SUMS; beside it, the archive's own checksum.
#
#   make bundle                                   # wheels for this machine's Python and platform
#   make bundle BUNDLE_PLATFORM=manylinux2014_x86_64 BUNDLE_PYTHON=3.11   # for another target (binary wheels only)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${BUNDLE_DIR:-dist}
pip=${PIP:-.venv/bin/pip}
version=$(git describe --tags --always 2>/dev/null || echo dev)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "注意：工作区有未提交的改动，安装包只含已提交的内容 (git archive HEAD)。" >&2
fi
name="tongxin-${version}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root" "$out"

echo "1/4 源代码 (git archive HEAD)"
git archive --format=tar HEAD | tar -x -C "$root"

echo "2/4 Python 依赖 (wheels)"
if [ -n "${BUNDLE_PLATFORM:-}" ]; then
  "$pip" download -q --disable-pip-version-check --only-binary=:all: --dest "$root/wheels" \
    --platform "$BUNDLE_PLATFORM" --python-version "${BUNDLE_PYTHON:-3.11}" --implementation cp \
    -r requirements.txt -c constraints.txt
else
  "$pip" wheel -q --disable-pip-version-check --wheel-dir "$root/wheels" -r requirements.txt -c constraints.txt
fi

echo "3/4 前端资源 (npm, 仅运行所需)"
test -d node_modules || npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
npm ls --omit=dev --parseable --all 2>/dev/null | tail -n +2 | while read -r dir; do
  rel=${dir#"$PWD"/}
  mkdir -p "$root/$(dirname "$rel")"
  cp -R "$dir" "$root/$rel"
done

echo "4/4 校验文件与打包"
cp deploy/offline/INSTALL.zh.md "$root/INSTALL.zh.md"
(cd "$root" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

wheels=$(find "$root/wheels" -name '*.whl' | wc -l)
size=$(du -h "$out/$name.tar.gz" | cut -f1)
echo "安装包：$out/$name.tar.gz（$size，$wheels 个 wheel）；校验：$out/$name.tar.gz.sha256"
echo "在内网服务器上：make install-offline BUNDLE=$name.tar.gz PREFIX=/srv/tongxin（或解压后 ./deploy/offline/install.sh）"
