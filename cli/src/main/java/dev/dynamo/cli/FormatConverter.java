package dev.dynamo.cli;

import dev.dynamo.output.OutputFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code -o FORMAT} of one command: the shared {@link OutputFormat} vocabulary, narrowed to the formats the
 * command takes, in any case. A format it does not take and a word that is no format get the same error:
 * {@code 'table' is not an output format for describe; expected one of text, json}.
 */
abstract class FormatConverter implements ITypeConverter<OutputFormat>, Iterable<String> {
    private final String command;
    private final List<OutputFormat> accepted;

    FormatConverter(String command, OutputFormat... accepted) {
        this.command = command;
        this.accepted = List.of(accepted);
    }

    @Override
    public OutputFormat convert(String text) {
        return known(text).filter(accepted::contains).orElseThrow(() -> new TypeConversionException("'" + text
                + "' is not an output format for " + command + "; expected one of "
                + accepted.stream().map(OutputFormat::text).collect(Collectors.joining(", "))));
    }

    /** The formats the command takes, as the help spells them: what completion offers after {@code -o}. */
    @Override
    public java.util.Iterator<String> iterator() {
        return accepted.stream().map(OutputFormat::text).iterator();
    }

    /** The format {@code text} names, whichever command takes it. */
    static Optional<OutputFormat> known(String text) {
        return Arrays.stream(OutputFormat.values()).filter(format -> format.name().equalsIgnoreCase(text.trim())).findFirst();
    }

    /** {@code query -o}: summary, json, jsonl, ddb, table. */
    static final class Query extends FormatConverter {
        Query() {
            super("query", OutputFormat.SUMMARY, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.DDB, OutputFormat.TABLE);
        }
    }

    /** {@code tables -o}: text, json, jsonl. */
    static final class Tables extends FormatConverter {
        Tables() {
            super("tables", OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL);
        }
    }

    /** {@code describe -o}: text, json. */
    static final class Describe extends FormatConverter {
        Describe() {
            super("describe", OutputFormat.TEXT, OutputFormat.JSON);
        }
    }
}
