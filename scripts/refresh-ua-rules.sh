#!/usr/bin/env bash
# Refreshes the vendored user-agent rules in src/ReferralService/Links/Rules/ from npm: uap-core's regexes.yaml
# (platform, OS version, browser family) and crawler-user-agents' JSON list (bots and link-preview fetchers), each
# with its licence. Usage: scripts/refresh-ua-rules.sh [uap-core version] [crawler-user-agents version]
# (default: the latest published). Review the diff, run `dotnet test`, and commit the files with VERSIONS.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rules="$root/src/ReferralService/Links/Rules"
uap="uap-core@${1:-latest}"
crawlers="crawler-user-agents@${2:-latest}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$uap" "$crawlers" >/dev/null)
for tgz in "$work"/*.tgz; do
    mkdir -p "${tgz%.tgz}"
    tar -xzf "$tgz" -C "${tgz%.tgz}"
done
uap_dir="$(ls -d "$work"/uap-core-*/package)"
crawlers_dir="$(ls -d "$work"/crawler-user-agents-*/package)"
uap_version="$(node -p "require('$uap_dir/package.json').version")"
crawlers_version="$(node -p "require('$crawlers_dir/package.json').version")"

cp "$uap_dir/regexes.yaml" "$rules/uap-regexes.yaml"
cp "$uap_dir/LICENSE" "$rules/uap-core.LICENSE"
cp "$crawlers_dir/crawler-user-agents.json" "$rules/crawler-user-agents.json"
cp "$crawlers_dir/LICENSE" "$rules/crawler-user-agents.LICENSE"
cat > "$rules/VERSIONS" <<VERSIONS
uap-core $uap_version
crawler-user-agents $crawlers_version
VERSIONS

echo "uap-core $uap_version, crawler-user-agents $crawlers_version -> $rules"
