#!/usr/bin/env bash
# Runs the service on this machine with a private PostgreSQL cluster (created on first run in
# .data/postgres from the machine's PostgreSQL server binaries) and Swagger UI.
#   ./run.sh                 http://127.0.0.1:5080
#   PORT=8080 ./run.sh
set -euo pipefail
cd "$(dirname "$0")"

port=${PORT:-5080}
pg_port=${PG_PORT:-55432}
connection=$(scripts/local-postgres.sh start .data/postgres "$pg_port" | tail -n 1)

# Development tokens come from 'dotnet user-jwts', which keeps its signing key in user secrets. They live a
# day; the service's log (this script's stdout) never sees one: the token goes to the terminal, else stderr.
project=src/ReferralService
mint=(dotnet user-jwts create --project "$project" --audience referral-service -o token --valid-for 1d)
admin_token=$("${mint[@]}" --role admin --name dev-admin)
if { : >/dev/tty; } 2>/dev/null; then terminal=/dev/tty; else terminal=/dev/stderr; fi

cat >"$terminal" <<MSG

  ReferralService on http://127.0.0.1:$port
  Swagger UI:  http://127.0.0.1:$port/swagger   (Authorize -> paste the token below)
  Database:    $connection  (data in .data/postgres)

  Admin token, valid for a day:
    $admin_token
  Another admin token, another role, or a customer (sub = customer id):
    ${mint[*]} --role admin --name dev-admin
    ${mint[*]} --role merchant --name shop-1
    ${mint[*]} --role customer --name alice

MSG

export ConnectionStrings__Referral="$connection"
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
exec dotnet run --project "$project" -- --urls "http://127.0.0.1:$port"
