package dev.dynamo.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known word nearest to a mistyped one, for {@code did you mean 'export'?}: the fewest single-letter edits
 * (insert, delete, replace, or swap of two neighbours), and only when that is small for the word's length, so that
 * {@code exprot} finds {@code export} and {@code frobnicate} finds nothing.
 */
final class Nearest {
    private Nearest() {
    }

    static Optional<String> to(String typed, Collection<String> known) {
        String word = typed.toLowerCase(Locale.ROOT);
        int body = word.replaceFirst("^-+", "").length();
        int allowed = body <= 2 ? 0 : body <= 4 ? 1 : body <= 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(word, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed && bestDistance > 0 ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring letters. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
