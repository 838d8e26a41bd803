#!/usr/bin/env bash
# Installs the Debian packages the tests use, where they are missing:
#   chromium               the real browser for the web app's end-to-end test
#   dataset-fashion-mnist  the full Fashion-MNIST, for the integration test
#   libvulkan1             the Vulkan loader Dawn needs: with chromium's SwiftShader driver it
#                          gives the Node webgpu backend's tests a (software) adapter
# Needs root (or sudo). Without them those tests skip and say why.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1' || missing+=(libvulkan1)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "system-deps: not root; missing Debian packages: ${missing[*]} (their tests will skip)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get; missing: ${missing[*]} (their tests will skip)" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
