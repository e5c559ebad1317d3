#!/usr/bin/env bash
# Fetch the full freely licensed albums behind the demo excerpts (for benchmarks):
# Debian's singularity-music (CC BY-SA 3.0, Max McCracken) and fretsonfire-songs-sectoid (MIT).
# apt-get download needs no root; it only reads the package lists (run `apt-get update` once).
set -euo pipefail
dest="${1:-data/cache/audio}"
mkdir -p "$dest/debs"
cd "$dest/debs"
for pkg in singularity-music fretsonfire-songs-sectoid; do
  if ! ls "${pkg}"_*.deb >/dev/null 2>&1; then
    apt-get download "$pkg" || { echo "apt-get download $pkg failed: run 'apt-get update' (as root) and retry" >&2; exit 1; }
  fi
  dpkg-deb -x "$(ls "${pkg}"_*.deb | head -n1)" ../"$pkg"
done
cd ..
find . -name '*.ogg' -path '*singularity*' | sort > singularity-music.list
find . -name '*.ogg' -path '*sectoid*' | sort > sectoid.list
echo "audio in $(pwd): $(wc -l < singularity-music.list) singularity-music tracks, $(wc -l < sectoid.list) sectoid files"
