#!/usr/bin/env bash
# Validation on real applications (issue #17): the migrations probe over every commit of public applications that adds
# a Rails, Django, Alembic, Prisma, Laravel, Knex, TypeORM, Sequelize, EF Core, Ecto, goose, sqitch or Flyway Java
# migration, each commit checked as
# a deploy from its parent (bench/FrameworkHistory.java). Prints per application what was read, blocked and unread;
# one JSON line per commit goes to bench/out/frameworks/<name>.jsonl. Figures: docs/bench/migrations-frameworks.md (Rails,
# Django, Alembic, Prisma) and docs/bench/migrations-frameworks-2.md (the others).
#
#   bench/migrations-frameworks.sh                 # every application below (clones what is missing)
#   CAP=50 bench/migrations-frameworks.sh koel     # one application, at most 50 commits
#   MIRROR=/work/.mirror bench/migrations-frameworks.sh   # clone from local mirrors (<owner>+<name>/repo) instead
set -euo pipefail
cd "$(dirname "$0")/.."
CAP="${CAP:-150}"
OUT=bench/out/frameworks
REPOS="${REPOS:-bench/out/repos}"
mkdir -p "$OUT" "$REPOS"

# owner/name framework: the applications the figures were measured on
APPS=(
  "lobsters/lobsters RAILS"
  "maybe-finance/maybe RAILS"
  "rubygems/rubygems.org RAILS"
  "healthchecks/healthchecks DJANGO"
  "netbox-community/netbox DJANGO"
  "saleor/saleor DJANGO"
  "CTFd/CTFd ALEMBIC"
  "Netflix/dispatch ALEMBIC"
  "getredash/redash ALEMBIC"
  "polarsource/polar ALEMBIC"
  "documenso/documenso PRISMA"
  "formbricks/formbricks PRISMA"
  "umami-software/umami PRISMA"
  "koel/koel LARAVEL"
  "BookStackApp/BookStack LARAVEL"
  "requarks/wiki KNEX"
  "FlowiseAI/Flowise TYPEORM"
  "brocoders/nestjs-boilerplate TYPEORM"
  "outline/outline SEQUELIZE"
  "dotnet/eShop EF_CORE"
  "bitwarden/server EF_CORE"
  "teslamate-org/teslamate ECTO"
  "hatchet-dev/hatchet GOOSE"
  "chef/chef-server SQITCH"
  "DSpace/DSpace FLYWAY_JAVA"
)

CP_FILE=$(mktemp)
mvn -B -q -pl probe-workers -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
CP="probe-workers/target/classes:contracts/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
mkdir -p bench/out/classes
javac -cp "$CP" -d bench/out/classes bench/FrameworkHistory.java

echo "machine: $(nproc) cores; $(uptime)"
for app in "${APPS[@]}"; do
  read -r repo framework <<<"$app"
  name=${repo#*/}
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
    continue
  fi
  if [ ! -d "$REPOS/$name.git" ]; then
    if [ -n "${MIRROR:-}" ]; then
      git clone -q --bare "$MIRROR/${repo/\//+}/repo" "$REPOS/$name.git"
    else
      git clone -q --bare "https://github.com/$repo.git" "$REPOS/$name.git"
    fi
  fi
  java -Xmx2g -Dlogback.configurationFile=probe-workers/src/test/resources/logback-test.xml -cp "$CP:bench/out/classes" FrameworkHistory "$REPOS/$name.git" "$name" "$CAP" "$OUT/$name.jsonl" \
    "$framework" 2>&1 | grep -vE '^[0-9:.]+ +(DEBUG|INFO|WARN) '
done
