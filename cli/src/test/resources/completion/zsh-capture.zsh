# Completes a line in a real interactive zsh, as a TAB would, and writes the proposals, one per line, to OUT, and
# what the completion printed on stderr to OUT.err.
# Usage: zsh -f zsh-capture.zsh SCRIPT LINE OUT
# The completion system runs in a zsh on a pseudo-terminal (zpty): compinit, then SCRIPT, then LINE and a TAB.
# compadd is wrapped to write what zsh's matching kept; after the completion the zsh exits.
# (After the idea of Valodim's zsh-capture-completion.)
zmodload zsh/zpty || { print -u2 'zsh/zpty is missing'; exit 3 }
script=$1
line=$2
out=$3
setup=$out.setup.zsh
: > $out
: > $out.err
cat > $setup <<SETUP
PROMPT= RPROMPT= PS2=
autoload -U compinit && compinit -u -D
source ${(q)script}
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
__capture_done() { print -r -- @@DONE@@ >> ${(q)out} }
compprefuncs=()
comppostfuncs=( __capture_done exit )
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  (( \$#__hits )) && print -rl -- \$IPREFIX\${^__hits} >> ${(q)out}
  builtin compadd "\$@"
}
exec 2>> ${(q)out}.err
SETUP
zpty capture zsh -f -i
zpty -w capture "source ${(q)setup}"
zpty -w -n capture "$line"$'\t'
# Drain the terminal until the zsh has exited (comppostfuncs), at most about 30 seconds.
integer tries=0
while (( tries++ < 300 )); do
  zpty -rt capture junk 2>/dev/null
  [[ -n ${(M)${(f)"$(<$out)"}:#@@DONE@@} ]] && break
  sleep 0.1
done
zpty -d capture 2>/dev/null
[[ -n ${(M)${(f)"$(<$out)"}:#@@DONE@@} ]] || { print -u2 "zsh did not finish completing '$line'"; exit 4 }
