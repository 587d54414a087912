#!/bin/sh
# Backs Collab up into one folder: the PostgreSQL database as pg_dump's custom-format archive
# (database.dump), then the media files, the uploads, as a tar file (media.tar). Safe while
# Collab runs: the dump is one consistent snapshot, and media taken after it holds every file
# a row in it names. Needs pg_dump of the server's major version or newer (compose's backup
# service has the server's own); docs/operations.md shows both ways of running it.
#   DATABASE_URL=postgres://user:password@host:5432/collab MEDIA_ROOT=/data/media backup.sh FOLDER
set -eu
folder=${1:?usage: backup.sh FOLDER}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the media folder}"

mkdir -p "$folder"
pg_dump --format=custom --no-owner --no-privileges \
  --dbname="$DATABASE_URL" --file="$folder/database.dump"
tar -C "$MEDIA_ROOT" -cf "$folder/media.tar" .
echo "backed up to $folder"
