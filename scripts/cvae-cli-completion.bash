# Bash completion for cvae-cli: the verbs, then each verb's options (read from
# `cvae-cli --help VERB`, so they never go stale), and file names elsewhere.
# Use: `source scripts/cvae-cli-completion.bash`, or copy it to
# /usr/share/bash-completion/completions/cvae-cli (or ~/.local/share/bash-completion/completions/).
_cvae_cli() {
  local cur=${COMP_WORDS[COMP_CWORD]} cli=${COMP_WORDS[0]} words
  if [ "$COMP_CWORD" -eq 1 ]; then
    words=$("$cli" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
    mapfile -t COMPREPLY < <(compgen -W "$words --help --version" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    # Options are the usage line's words that start with - after a space, '[' or '|'.
    words=$("$cli" --help "${COMP_WORDS[1]}" 2>/dev/null | head -n 1 |
      grep -oE -- '(^|[ [|])--?[a-z][a-z-]*' | sed 's/^[ [|]//' | sort -u)
    mapfile -t COMPREPLY < <(compgen -W "$words --help" -- "$cur")
    return
  fi
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -o filenames -F _cvae_cli cvae-cli
