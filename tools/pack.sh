#!/usr/bin/env bash
# Builds the StemeQL and StemeQL.Linq NuGet packages into a folder, for a program outside this
# repository to reference (README.md, "Ten lines of C#"). Usage: tools/pack.sh [OUT_DIR]
# OUT_DIR defaults to ./packages. Each run gets a new version, 0.1.0-dev.<UTC time>, so a project that
# asks for Version="0.1.0-*" restores the newest and NuGet's cache never serves an older build under
# the same number. STEME_PACKAGE_VERSION overrides it. Prints the version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$root/packages}" && cd "${1:-$root/packages}" && pwd)"
version="${STEME_PACKAGE_VERSION:-0.1.0-dev.$(date -u +%Y%m%d%H%M%S)}"
# The ordinary Release build (a no-op when ./test.sh or ./steme built it already); the version is the
# package's only, so packing never rebuilds the working tree's assemblies.
dotnet build "$root/src/Linq/StemeQL.Linq.csproj" -c Release --nologo -v quiet >&2
for project in src/Provider/StemeQL.csproj src/Linq/StemeQL.Linq.csproj; do
  dotnet pack "$root/$project" -c Release --no-build -o "$out" -p:PackageVersion="$version" --nologo -v quiet >&2
done
echo "$version"
