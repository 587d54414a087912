#!/bin/sh
# Restores a folder backup.sh wrote: drops the database, creates it again from database.dump,
# and replaces the media folder's contents with media.tar. Stop every web process, worker and
# beat first: PostgreSQL refuses to drop a database anything is connected to (this script then
# stops with that error, having changed nothing). docs/operations.md shows how to run it.
#   DATABASE_URL=postgres://user:password@host:5432/collab MEDIA_ROOT=/data/media restore.sh FOLDER
set -eu
folder=${1:?usage: restore.sh FOLDER}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the media folder}"
for part in database.dump media.tar; do
  [ -f "$folder/$part" ] || { echo "restore.sh: $folder/$part is missing" >&2; exit 1; }
done

# The database is dropped and created from the server's maintenance database, "postgres".
address=${DATABASE_URL%%\?*}
case $DATABASE_URL in *\?*) options="?${DATABASE_URL#*\?}" ;; *) options="" ;; esac
name=${address##*/}
maintenance="${address%/*}/postgres$options"
psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --dbname="$maintenance" \
  --command="DROP DATABASE IF EXISTS \"$name\"" --command="CREATE DATABASE \"$name\""
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$folder/database.dump"

mkdir -p "$MEDIA_ROOT"
find "$MEDIA_ROOT" -mindepth 1 -delete
tar -C "$MEDIA_ROOT" -xf "$folder/media.tar"
echo "restored from $folder"
