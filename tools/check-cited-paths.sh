#!/usr/bin/env bash
# Checks that every repository path the documentation, the help texts and the headers cite exists
# (issue 16: three documents under docs were cited and missing), and that no tracked file cites a
# relative path (../) that leads outside the repository. Looked at: every tracked *.md,
# the CLI's sources (tools/crsim/, their --help texts), the headers (include/, models/, sim/) and
# the scripts in tools/. A cited path is a word starting with one of the repository's top folders.
# Not checked: words with a placeholder in capitals (scenarios/NAME.yaml), globs, and the lines of
# tools/cited-paths-allowed.txt (example error messages that name a missing file on purpose).
# Usage: tools/check-cited-paths.sh   (from anywhere; exit 1 and a list when some are missing)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.md' 'tools/crsim/*.cpp' 'tools/crsim/*.hpp' 'include/*.hpp' 'models/*.hpp' \
    'models/*.cpp' 'sim/*.hpp' 'sim/*.cpp' 'tools/*.sh' 'tools/*/*.sh' 'tools/*.py' '.ci/*')
missing=0
while IFS=: read -r file line path; do
    [[ $path =~ [A-Z]{3,} || $path == *'*'* ]] && continue
    grep -qxF -- "$path" tools/cited-paths-allowed.txt && continue
    [ -e "$path" ] && continue
    echo "$file:$line: cites $path, which does not exist"
    missing=1
done < <(grep -noE "(^|[^A-Za-z0-9_./-])(include|models|sim|tools|tests|scenarios|docs|\.ci)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]" \
             "${files[@]}" | sed -E 's/^([^:]*:[0-9]+:)[^A-Za-z0-9_.]?/\1/')
# No tracked text file may point outside the repository (issue 23: the scenarios cited domain
# notes kept beside the repository): a relative path climbing with ../ is resolved from its
# file's folder; in documents and scenarios (*.md, *.yaml) it must also exist.
root=$(pwd)
mapfile -t texts < <(git ls-files | grep -vE '\.(png|sqlite|gz)$')
while IFS=: read -r file line path; do
    path=${path#"${path%%[.]*}"}
    grep -qxF -- "$path" tools/cited-paths-allowed.txt && continue
    resolved=$(realpath -m "$(dirname "$file")/$path")
    if [[ $resolved == "$root"/* ]]; then
        [[ -e $resolved || ! $file =~ \.(md|yaml|yml)$ ]] && continue
        echo "$file:$line: cites $path, which does not exist"
    else
        echo "$file:$line: cites $path, which is outside the repository"
    fi
    missing=1
done < <(grep -noE '(^|[^A-Za-z0-9_./-])(\.\./)+[A-Za-z0-9_][A-Za-z0-9_./-]*' "${texts[@]}" 2>/dev/null)
[ "$missing" -eq 0 ] && echo "every cited path exists, none outside the repository (${#files[@]} files)"
exit "$missing"
