package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.env.NamedEnvironment;
import dev.dynamo.env.NamedEnvironment.OptionDefaults;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Per-environment defaults of the environments file ({@code output}, {@code threads}, {@code max-rcu},
 * {@code max-wcu} under {@code [env.NAME]}): set on a command's options that the command line did not give, before
 * the command turns its options into a plan. The text is converted as the option's own value would be, so a bad
 * default fails as the option would, naming the file.
 */
final class EnvironmentDefaults {
    enum Key {
        OUTPUT("output", OptionDefaults::output),
        THREADS("threads", OptionDefaults::threads),
        MAX_RCU("max-rcu", OptionDefaults::maxRcu),
        MAX_WCU("max-wcu", OptionDefaults::maxWcu);

        private final String name;
        private final Function<OptionDefaults, String> value;

        Key(String name, Function<OptionDefaults, String> value) {
            this.name = name;
            this.value = value;
        }
    }

    private EnvironmentDefaults() {
    }

    /** Applies the defaults {@code keys} of the environment {@code env} names, if the environments file names it. */
    static void apply(CommandSpec spec, EnvironmentResolver resolver, EnvironmentSpec env, Key... keys) {
        NamedEnvironment named = resolver.named(env).orElse(null);
        if (named == null) {
            return;
        }
        for (Key key : keys) {
            String text = key.value.apply(named.defaults());
            OptionSpec option = spec.findOption("--" + key.name);
            if (text == null || option == null || spec.commandLine().getParseResult().hasMatchedOption(option)) {
                continue;
            }
            try {
                option.setValue(convert(option, text));
            } catch (Exception e) {
                if (key == Key.OUTPUT && FormatConverter.known(text).isPresent()) {
                    // One output default serves query, tables and describe: a format this command does not take
                    // (output = "jsonl" for describe) leaves the command's own default.
                    continue;
                }
                throw DynamoException.usage("[env." + named.name() + "] " + key.name + " = '" + text + "' in "
                        + resolver.environmentsFile().path() + " is not a value of --" + key.name
                        + (e.getMessage() != null ? ": " + e.getMessage() : ""));
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(OptionSpec option, String text) throws Exception {
        ITypeConverter<?>[] converters = option.converters();
        if (converters != null && converters.length > 0) {
            return converters[0].convert(text);
        }
        Class<?> type = option.type();
        if (type == int.class || type == Integer.class) {
            return Integer.valueOf(text);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum) constant).name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
        return text;
    }
}
