package dev.dynamo.cli;

import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Lets a table name that looks like an option ({@code --yes} and {@code -v} are valid DynamoDB table
 * names) be given attached, {@code --table=--yes}: picocli refuses any value that matches an option
 * name, attached or not. Only the attached form is taken as the value; {@code --table --yes} is still
 * refused (a forgotten table name must not turn the next option into one).
 */
public final class AttachedTableName implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
        // picocli says how the value came: separator "=" when attached, " " when it is the next argument.
        Object separator = info.get("separator");
        if (separator == null || separator.toString().isBlank() || args.isEmpty()) {
            return false; // not attached: picocli's own rules
        }
        argSpec.setValue(args.pop());
        return true;
    }
}
