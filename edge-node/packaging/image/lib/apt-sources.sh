# Reads the Debian mirror that this machine's apt uses, so the image is built from the same
# mirror without naming any host in the repository. Sourced by build-image.sh.

# Prints "URI SUITE" for every deb source of the host, one per line, from the one-line format
# (/etc/apt/sources.list, *.list) and the deb822 format (*.sources). Disabled files are skipped
# because their names do not end in .list or .sources.
list_host_apt_sources() {
  local file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # "deb [options] URI SUITE COMPONENTS...": drop the options in brackets, keep URI and suite.
    sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2 \3/p' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j]
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
        if (key == "types") types = $0
        else if (key == "uris") uris = $0
        else if (key == "suites") suites = $0
        else if (key == "enabled") enabled = tolower($0)
      }
      END { flush() }
    ' "$file"
  done
}

# Prints the URI that the host uses for SUITE (e.g. bookworm, bookworm-security), or nothing.
find_host_mirror() {
  local suite="$1"
  list_host_apt_sources | awk -v suite="$suite" '$2 == suite { print $1; exit }'
}
