package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items in Amazon Ion, as DynamoDB's export to S3 writes them and its import from S3 reads them:
 * S is an Ion string, N a decimal, B a blob, BOOL a bool, NULL {@code null}, M a struct, L a list, and
 * the sets are lists annotated {@code $dynamodb_SS}, {@code $dynamodb_NS} or {@code $dynamodb_BS}:
 * <pre>
 * {Authors:$dynamodb_SS::["Author1","Author2"],Id:103.,Price:1.50,Big:1d125,Photo:{{aGk=}},Gone:null}
 * </pre>
 *
 * <p><b>Numbers.</b> Written as the Ion decimal of {@code new BigDecimal(n)}, so every digit and the
 * scale DynamoDB gave survive ({@code "1.50"} is {@code 1.50}, {@code "1E+125"} is {@code 1d125}). Read
 * back, a number is the decimal's plain digits when they take at most {@value #MAX_PLAIN_NUMBER_CHARS}
 * characters ({@code 6d2} is {@code "600"}, as DynamoDB's JSON shows it; {@code 1.50} is {@code "1.50"}),
 * else {@link BigDecimal#toString()}'s scientific form ({@code 1d125} is {@code "1E+125"}, {@code 1d-130}
 * is {@code "1E-130"}): always the same value, and the same scale whenever the scale is not negative.
 * Ion ints are read as numbers too (AWS's own examples write {@code Id:103}); Ion floats are refused
 * (binary floating point has lost digits already).
 *
 * <p>Reading is strict where DynamoDB is: a set is not empty, holds no duplicates (numbers compared by
 * value) and no nulls; a struct has no field twice; an annotation other than the three set annotations,
 * and Ion types DynamoDB has no type for (symbol, timestamp, clob, sexp, float), are errors. Any typed
 * null ({@code null}, {@code null.string}) is NULL. Stateless and thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class DynamoIon {
    /** Above this many characters, a number read from Ion is written in scientific form rather than its plain digits. */
    public static final int MAX_PLAIN_NUMBER_CHARS = 40;

    static final String STRING_SET = "$dynamodb_SS";
    static final String NUMBER_SET = "$dynamodb_NS";
    static final String BINARY_SET = "$dynamodb_BS";

    private DynamoIon() {
    }

    /**
     * Reads the attributes of the struct the reader is on (its current value), through its end; the reader is
     * left on the struct, stepped out.
     *
     * @param path where the struct is, for messages ({@code Item})
     */
    public static Map<String, AttributeValue> readItem(IonReader reader, String path) throws DynamoJson.Malformed {
        try {
            expect(reader.getType() == IonType.STRUCT && !reader.isNullValue(), path, "expected a struct of attributes");
            expect(annotations(reader).length == 0, path, "a struct of attributes takes no annotation");
            return readStruct(reader, path);
        } catch (IonException e) {
            throw new DynamoJson.Malformed(path, "not Ion text (" + brief(e) + ")");
        }
    }

    private static Map<String, AttributeValue> readStruct(IonReader reader, String path) throws DynamoJson.Malformed {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        reader.stepIn();
        for (IonType type = reader.next(); type != null; type = reader.next()) {
            String name = reader.getFieldName();
            String at = path.isEmpty() ? name : path + "." + name;
            expect(!attributes.containsKey(name), at, "the attribute is there twice");
            attributes.put(name, readValue(reader, type, at));
        }
        reader.stepOut();
        return attributes;
    }

    private static AttributeValue readValue(IonReader reader, IonType type, String path) throws DynamoJson.Malformed {
        String[] annotations = annotations(reader);
        if (annotations.length > 0) {
            String annotation = annotations[0];
            expect(annotations.length == 1, path, "a value takes at most one annotation, a set's");
            expect(isSetAnnotation(annotation), path, "annotation '" + annotation
                    + "' is not one of " + STRING_SET + ", " + NUMBER_SET + ", " + BINARY_SET);
            expect(type == IonType.LIST, path, "a " + annotation + "-annotated value must be a list");
            expect(!reader.isNullValue(), path, "a set must not be null (DynamoDB has no empty sets)");
            return readSet(reader, annotation, path);
        }
        if (reader.isNullValue()) {
            return AttributeValue.fromNul(true);
        }
        return switch (type) {
            case STRING -> AttributeValue.fromS(reader.stringValue());
            case DECIMAL, INT -> AttributeValue.fromN(number(reader, type));
            case BOOL -> AttributeValue.fromBool(reader.booleanValue());
            case BLOB -> AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(reader.newBytes()));
            case STRUCT -> AttributeValue.fromM(readStruct(reader, path));
            case LIST -> {
                List<AttributeValue> list = new ArrayList<>();
                reader.stepIn();
                for (IonType element = reader.next(); element != null; element = reader.next()) {
                    list.add(readValue(reader, element, path + "[" + list.size() + "]"));
                }
                reader.stepOut();
                yield AttributeValue.fromL(list);
            }
            case FLOAT -> throw new DynamoJson.Malformed(path, "Ion float " + reader.doubleValue()
                    + " is not a DynamoDB number (binary floating point loses digits); write it as a decimal such as 1.5 or 15d-1");
            case SYMBOL -> throw new DynamoJson.Malformed(path, "symbol " + symbolText(reader)
                    + " is not a DynamoDB type; a string is written in double quotes");
            default -> throw new DynamoJson.Malformed(path, "Ion " + type.name().toLowerCase(java.util.Locale.ROOT)
                    + " has no DynamoDB type (expected string, decimal, int, bool, blob, null, struct, list or an annotated set)");
        };
    }

    private static AttributeValue readSet(IonReader reader, String annotation, String path) throws DynamoJson.Malformed {
        IonType expected = switch (annotation) {
            case STRING_SET -> IonType.STRING;
            case NUMBER_SET -> IonType.DECIMAL;
            default -> IonType.BLOB;
        };
        List<String> texts = new ArrayList<>();
        List<SdkBytes> binaries = new ArrayList<>();
        Set<Object> seen = annotation.equals(NUMBER_SET) ? new TreeSet<>() : new HashSet<>();
        reader.stepIn();
        for (IonType element = reader.next(); element != null; element = reader.next()) {
            String at = path + "[" + (texts.size() + binaries.size()) + "]";
            boolean fits = element == expected || (expected == IonType.DECIMAL && element == IonType.INT);
            expect(fits && annotations(reader).length == 0, at, "a " + annotation + " set holds only "
                    + expected.name().toLowerCase(java.util.Locale.ROOT) + "s, not " + element.name().toLowerCase(java.util.Locale.ROOT));
            expect(!reader.isNullValue(), at, "a set holds no nulls");
            Object key;
            switch (expected) {
                case STRING -> {
                    String text = reader.stringValue();
                    texts.add(text);
                    key = text;
                }
                case DECIMAL -> {
                    BigDecimal number = element == IonType.INT ? new BigDecimal(reader.bigIntegerValue()) : reader.bigDecimalValue();
                    texts.add(numberText(number));
                    key = number;
                }
                default -> {
                    byte[] bytes = reader.newBytes();
                    binaries.add(SdkBytes.fromByteArrayUnsafe(bytes));
                    key = ByteBuffer.wrap(bytes);
                }
            }
            expect(seen.add(key), at, "the set holds this value twice (DynamoDB sets have no duplicates)");
        }
        reader.stepOut();
        expect(!seen.isEmpty(), path, "a set must not be empty (DynamoDB has no empty sets)");
        return switch (annotation) {
            case STRING_SET -> AttributeValue.fromSs(texts);
            case NUMBER_SET -> AttributeValue.fromNs(texts);
            default -> AttributeValue.fromBs(binaries);
        };
    }

    private static String number(IonReader reader, IonType type) {
        return type == IonType.INT ? reader.bigIntegerValue().toString() : numberText(reader.bigDecimalValue());
    }

    /** The text of a number read from Ion: plain digits up to {@value #MAX_PLAIN_NUMBER_CHARS} characters, else scientific. */
    static String numberText(BigDecimal number) {
        // The plain form's length is computed first: 1d999999999 must not become a billion zeros.
        long digits = number.precision();
        long scale = number.scale();
        long plainChars = (number.signum() < 0 ? 1 : 0)
                + (scale <= 0 ? digits - scale : scale >= digits ? 2 + scale : digits + 1);
        return plainChars <= MAX_PLAIN_NUMBER_CHARS ? number.toPlainString() : number.toString();
    }

    private static boolean isSetAnnotation(String annotation) {
        return annotation.equals(STRING_SET) || annotation.equals(NUMBER_SET) || annotation.equals(BINARY_SET);
    }

    private static String[] annotations(IonReader reader) {
        return reader.getTypeAnnotations();
    }

    private static String symbolText(IonReader reader) {
        String text = reader.symbolValue().getText();
        return text == null ? "(unknown text)" : "'" + (text.length() <= 40 ? text : text.substring(0, 39) + "…") + "'";
    }

    /** An ion-java message on one line and not too long, for a user's message. */
    static String brief(IonException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
        return message.length() <= 200 ? message : message.substring(0, 199) + "…";
    }

    private static void expect(boolean condition, String path, String problem) throws DynamoJson.Malformed {
        if (!condition) {
            throw new DynamoJson.Malformed(path, problem);
        }
    }

    /** Writes the item as an Ion struct, its attributes in name order (as DynamoDB's export does). */
    public static void writeItem(IonWriter out, Map<String, AttributeValue> item) throws IOException {
        out.stepIn(IonType.STRUCT);
        for (String name : AttributeJson.orderedNames(item, List.of())) {
            out.setFieldName(name);
            writeValue(out, item.get(name), name);
        }
        out.stepOut();
    }

    /**
     * Writes one typed value.
     *
     * @throws IllegalArgumentException for a value DynamoDB cannot hold (an N that is not a number, an empty set)
     */
    static void writeValue(IonWriter out, AttributeValue value, String path) throws IOException {
        switch (value.type()) {
            case S -> out.writeString(value.s());
            case N -> out.writeDecimal(decimal(value.n(), path));
            case B -> out.writeBlob(value.b().asByteArrayUnsafe());
            case BOOL -> out.writeBool(value.bool());
            case NUL -> out.writeNull();
            case SS -> {
                out.setTypeAnnotations(STRING_SET);
                out.stepIn(IonType.LIST);
                for (String text : nonEmpty(value.ss(), path)) {
                    out.writeString(text);
                }
                out.stepOut();
            }
            case NS -> {
                out.setTypeAnnotations(NUMBER_SET);
                out.stepIn(IonType.LIST);
                for (String text : nonEmpty(value.ns(), path)) {
                    out.writeDecimal(decimal(text, path));
                }
                out.stepOut();
            }
            case BS -> {
                out.setTypeAnnotations(BINARY_SET);
                out.stepIn(IonType.LIST);
                for (SdkBytes bytes : nonEmpty(value.bs(), path)) {
                    out.writeBlob(bytes.asByteArrayUnsafe());
                }
                out.stepOut();
            }
            case L -> {
                out.stepIn(IonType.LIST);
                int index = 0;
                for (AttributeValue element : value.l()) {
                    writeValue(out, element, path + "[" + index++ + "]");
                }
                out.stepOut();
            }
            case M -> {
                out.stepIn(IonType.STRUCT);
                for (Map.Entry<String, AttributeValue> entry : new TreeMap<>(value.m()).entrySet()) {
                    out.setFieldName(entry.getKey());
                    writeValue(out, entry.getValue(), path + "." + entry.getKey());
                }
                out.stepOut();
            }
            default -> throw new IllegalArgumentException(path + ": unknown attribute type: " + value);
        }
    }

    private static BigDecimal decimal(String text, String path) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": '" + text + "' is not a number", e);
        }
    }

    private static <T> Collection<T> nonEmpty(Collection<T> set, String path) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException(path + ": an empty set, which DynamoDB cannot hold");
        }
        return set;
    }
}
