# Shared by postgres.sh and postgres-pair.sh: where PostgreSQL's programs are, installing them when
# missing, and running them as the postgres user when this runs as root (the server refuses root).

as_owner() {
    # From /: the clone may sit in a folder the postgres user can't enter.
    if [[ "$(id -u)" == 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Installs Debian's postgresql when no /usr/lib/postgresql/*/bin/initdb exists (apt-get, as root).
ensure_postgres_installed() {
    if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then return 0; fi
    if [[ "$(id -u)" != 0 ]]; then
        echo "PostgreSQL is not installed: run 'apt-get install postgresql' as root, then start again." >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}
