package dev.dynamo.completion;

import dev.dynamo.completion.CompletionModel.Command;
import dev.dynamo.completion.CompletionModel.Option;
import dev.dynamo.completion.CompletionModel.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bash completion script, and the zsh one, which runs the same function through zsh's {@code bashcompinit}.
 *
 * <p>Not picocli's {@code AutoComplete}: its script completes option values only from fixed candidates or file
 * names, with no place to ask {@code dynamo} for environments or tables, and it completes an option's value after
 * bash has split the word at {@code :} and {@code =}, so {@code -e http://localhost:8000} reads as three words. This
 * script rebuilds the words from {@code COMP_LINE}, bakes the commands, options and enum values in (no JVM for
 * them), and calls {@code dynamo __complete} only for environments, profiles and table names, its stderr discarded.
 */
public final class BashCompletion {
    private BashCompletion() {
    }

    public static String bash(CompletionModel model) {
        return header("bash", model) + functions(model) + "complete -o bashdefault -F __" + model.program() + "_complete "
                + model.program() + "\n";
    }

    public static String zsh(CompletionModel model) {
        String p = model.program();
        return "#compdef " + p + "\n"
                + header("zsh", model)
                + "# It runs the bash completion function through zsh's bashcompinit, so that bash and zsh complete alike.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n\n"
                + functions(model)
                + "_" + p + "() {\n  _bash_complete -F __" + p + "_complete\n}\n\n"
                + "if [[ \"${funcstack[1]-}\" == _" + p + " ]]; then\n"
                + "  # Autoloaded from fpath by compinit on the first TAB: complete it too.\n"
                + "  _" + p + " \"$@\"\n"
                + "else\n"
                + "  compdef _" + p + " " + p + "\n"
                + "fi\n";
    }

    private static String header(String shell, CompletionModel model) {
        return "# " + shell + " completion for " + model.program() + ", printed by '" + model.program() + " completion " + shell
                + "'.\n# Environments, profiles and table names come from '" + model.program()
                + " __complete' (a table's only when its environment is on the line).\n";
    }

    private static String functions(CompletionModel model) {
        String p = model.program();
        String commands = model.commands().stream().map(Command::name).collect(Collectors.joining(" "));
        StringBuilder s = new StringBuilder();
        s.append("__").append(p).append("_commands='").append(commands).append("'\n\n");

        // __dynamo_options COMMAND: sets __dynamo_words to the options of COMMAND ('' for the root).
        s.append("__").append(p).append("_options() {\n  case \"$1\" in\n");
        s.append("    '') __").append(p).append("_words='").append(optionNames(model.root().options())).append("' ;;\n");
        for (Command command : model.commands()) {
            s.append("    ").append(command.name()).append(") __").append(p).append("_words='")
                    .append(optionNames(command.options())).append("' ;;\n");
        }
        s.append("    *) __").append(p).append("_words='' ;;\n  esac\n}\n\n");

        // __dynamo_value COMMAND OPTION: sets __dynamo_kind (none, words, environment, profile, table, file, text)
        // and, for words, __dynamo_words.
        s.append("__").append(p).append("_value() {\n  __").append(p).append("_words=''\n  case \"$1 $2\" in\n");
        List<Command> all = new ArrayList<>();
        all.add(new Command("", "", model.root().options(), List.of()));
        all.addAll(model.commands());
        for (Command command : all) {
            for (Option option : command.options()) {
                if (option.value() == Value.NONE) {
                    continue;
                }
                s.append("    ").append(option.names().stream().map(n -> "'" + command.name() + " " + n + "'")
                        .collect(Collectors.joining("|"))).append(") ");
                if (option.value() == Value.WORDS) {
                    s.append("__").append(p).append("_words='").append(String.join(" ", option.words())).append("'; ");
                }
                s.append("__").append(p).append("_kind=").append(option.value().name().toLowerCase(java.util.Locale.ROOT))
                        .append(" ;;\n");
            }
        }
        s.append("    *) __").append(p).append("_kind=none ;;\n  esac\n}\n\n");

        // __dynamo_arguments COMMAND: sets __dynamo_words to what the command's argument completes to.
        s.append("__").append(p).append("_arguments() {\n  case \"$1\" in\n");
        for (Command command : model.commands()) {
            if (!command.arguments().isEmpty()) {
                s.append("    ").append(command.name()).append(") __").append(p).append("_words='")
                        .append(String.join(" ", command.arguments())).append("' ;;\n");
            }
        }
        s.append("    *) __").append(p).append("_words='' ;;\n  esac\n}\n\n");
        s.append(MAIN_FUNCTION.replace("__dynamo", "__" + p).replace("DYNAMO", p));
        return s.toString();
    }

    private static String optionNames(List<Option> options) {
        return options.stream().flatMap(o -> o.names().stream()).filter(n -> n.startsWith("--"))
                .collect(Collectors.joining(" ")) + " " + options.stream().flatMap(o -> o.names().stream())
                .filter(n -> !n.startsWith("--")).collect(Collectors.joining(" "));
    }

    // Runs in bash, and in zsh under bashcompinit (emulate sh, KSH_ARRAYS: arrays from 0 as in bash). compgen is
    // left alone: zsh's emulation of it does not filter by the word. Offsets are $VAR, not VAR: zsh reads
    // ${line:pos:1} as the modifier :p.
    private static final String MAIN_FUNCTION = """
            # Proposes the words of $3... that start with $2, each prefixed with $1.
            __dynamo_propose() {
              local prefix="$1" word="$2" candidate
              shift 2
              for candidate in "$@"; do
                [[ "$candidate" == "$word"* ]] && COMPREPLY+=("$prefix$candidate")
              done
            }

            # Reads dynamo __complete's lines (stderr discarded: nothing may reach the prompt) into __dynamo_found.
            __dynamo_ask() {
              local line
              __dynamo_found=()
              while IFS= read -r line; do
                [[ -n "$line" ]] && __dynamo_found+=("$line")
              done < <(command DYNAMO __complete "$@" 2>/dev/null)
            }

            __dynamo_complete() {
              COMPREPLY=()
              local line="${COMP_LINE:0:$COMP_POINT}" pos=0 i word glued
              local -a words
              # bash splits words at the characters of COMP_WORDBREAKS (: and =), so http://localhost:8000 arrives as
              # five words: glue back the words that no whitespace separates on the line.
              for ((i = 0; i <= COMP_CWORD; i++)); do
                word="${COMP_WORDS[i]}"
                glued=1
                while [[ "${line:$pos:1}" == [[:space:]] ]]; do
                  pos=$((pos + 1))
                  glued=0
                done
                if ((i > 0 && glued)); then
                  words[${#words[@]}-1]="${words[${#words[@]}-1]}$word"
                else
                  words+=("$word")
                fi
                pos=$((pos + ${#word}))
              done
              local n=$((${#words[@]} - 1))
              local current="${words[n]}" command="" option="" prefix="" value
              for ((i = 1; i < n; i++)); do
                case " $__dynamo_commands " in
                  *" ${words[i]} "*) command="${words[i]}"; break ;;
                esac
              done
              if [[ "$current" == -*=* ]]; then
                option="${current%%=*}"
                prefix="$option="
                value="${current#*=}"
              elif ((n > 1)) && [[ "${words[n-1]}" == -* ]]; then
                option="${words[n-1]}"
                value="$current"
              fi
              __dynamo_kind=none
              [[ -n "$option" ]] && __dynamo_value "$command" "$option"
              case "$__dynamo_kind" in
                words)
                  __dynamo_propose "$prefix" "$value" $__dynamo_words ;;
                environment|profile)
                  __dynamo_ask "${__dynamo_kind}s"
                  __dynamo_propose "$prefix" "$value" "${__dynamo_found[@]}" ;;
                table)
                  __dynamo_ask tables "--option=$option" -- "${words[@]:1:$((n - 1))}"
                  __dynamo_propose "$prefix" "$value" "${__dynamo_found[@]}" ;;
                file)
                  local IFS=$'\\n'
                  COMPREPLY=($(compgen -f -- "$value"))
                  type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
                  return 0 ;;
                text) ;;
                none)
                  if [[ "$current" == -* ]]; then
                    __dynamo_options "$command"
                    __dynamo_propose "" "$current" $__dynamo_words
                  elif [[ -z "$command" ]]; then
                    __dynamo_propose "" "$current" $__dynamo_commands
                  else
                    __dynamo_arguments "$command"
                    if [[ -n "$__dynamo_words" ]]; then
                      __dynamo_propose "" "$current" $__dynamo_words
                    elif [[ -z "$current" ]]; then
                      __dynamo_options "$command"
                      __dynamo_propose "" "" $__dynamo_words
                    fi
                  fi ;;
              esac
              # bash replaces only the text after the word's last ':' or '=' (if they break words): drop what comes
              # before it from each proposal.
              if [[ -n "${BASH_VERSION-}" ]]; then
                local breaks=""
                [[ "$COMP_WORDBREAKS" == *:* ]] && breaks+=":"
                [[ "$COMP_WORDBREAKS" == *=* ]] && breaks+="="
                if [[ -n "$breaks" && "$current" == *[$breaks]* ]]; then
                  local typed="${current%"${current##*[$breaks]}"}"
                  for ((i = 0; i < ${#COMPREPLY[@]}; i++)); do
                    COMPREPLY[i]="${COMPREPLY[i]#"$typed"}"
                  done
                fi
              fi
              return 0
            }

            """;
}
