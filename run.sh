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

# Development tokens come from 'dotnet user-jwts', which keeps its signing key in user secrets.
project=src/ReferralService
mint() { dotnet user-jwts create --project "$project" --audience referral-service -o token "$@"; }
admin_token=$(mint --role admin --name dev-admin)

cat <<MSG

  ReferralService on http://127.0.0.1:$port
  Swagger UI:  http://127.0.0.1:$port/swagger   (Authorize -> paste the token below)
  Database:    $connection  (data in .data/postgres)

  Admin token (valid for a long time; roles: admin, merchant, finance, customer):
    $admin_token
  Another role or a customer (sub = customer id):
    dotnet user-jwts create --project $project --audience referral-service -o token --role merchant --name shop-1
    dotnet user-jwts create --project $project --audience referral-service -o token --role customer --name alice

MSG

export ConnectionStrings__Referral="$connection"
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
exec dotnet run --project "$project" -- --urls "http://127.0.0.1:$port"
