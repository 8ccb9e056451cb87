#!/usr/bin/env bash
# Downloads the Java pieces of the interoperability tests from Maven Central
# into ${FLOE_CACHE_DIR:-~/.cache/floe}/jars, once, checked against the SHA-1
# pinned here: Iceberg's Spark runtime (Spark comes from the pyspark wheel)
# with its AWS bundle (S3FileIO, for the SeaweedFS stack),
# the JDBC drivers of Iceberg's JdbcCatalog, and in flink/ Iceberg's Flink
# runtime with the Hadoop client it needs (Flink comes from the apache-flink
# wheel, scripts/install_flink.sh). Prints the folder.
set -euo pipefail
dir="${FLOE_CACHE_DIR:-$HOME/.cache/floe}/jars"
mkdir -p "$dir"
repo="https://repo1.maven.org/maven2"
# path in the repository  sha1
jars=(
  "org/apache/iceberg/iceberg-spark-runtime-4.1_2.13/1.12.0/iceberg-spark-runtime-4.1_2.13-1.12.0.jar 9e395e373a9a99643bf413ca1f74fa0c034887b4"
  "org/apache/iceberg/iceberg-aws-bundle/1.12.0/iceberg-aws-bundle-1.12.0.jar 64d5012217035a60924feb633636b744d318eb0a"
  "org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar b74a59de3ae1dbab7c550fe7c46099980261a676"
  "org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar 0e7c94ce80cb1dd9875ff44ffe6a40a8aaa3eefd"
  "flink/org/apache/iceberg/iceberg-flink-runtime-2.1/1.11.0/iceberg-flink-runtime-2.1-1.11.0.jar 78bf6fccefc88a1daebd2cdc06f3000c7333318b"
  "flink/org/apache/hadoop/hadoop-client-api/3.4.2/hadoop-client-api-3.4.2.jar d49afafdccb52bddde866ea0f341e6b31edc97fe"
  "flink/org/apache/hadoop/hadoop-client-runtime/3.4.2/hadoop-client-runtime-3.4.2.jar 3e9508f154ac9f085f3f0400c696175dce771d2d"
)
mkdir -p "$dir/flink"
for entry in "${jars[@]}"; do
  path="${entry% *}"
  sha="${entry#* }"
  sub=""
  if [[ "$path" == flink/* ]]; then
    sub="flink/"
    path="${path#flink/}"
  fi
  file="$dir/$sub$(basename "$path")"
  if [ -f "$file" ] && [ "$(sha1sum "$file" | cut -d' ' -f1)" = "$sha" ]; then continue; fi
  echo "install_jars: downloading $(basename "$path")" >&2
  curl -fsSL --retry 3 -o "$file.part" "$repo/$path"
  got="$(sha1sum "$file.part" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    rm -f "$file.part"
    echo "install_jars: $(basename "$path") has SHA-1 $got, expected $sha" >&2
    exit 1
  fi
  mv "$file.part" "$file"
done
echo "$dir"
