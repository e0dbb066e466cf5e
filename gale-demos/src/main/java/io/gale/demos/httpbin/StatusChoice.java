package io.gale.demos.httpbin;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The {@code codes} of {@code /status/{codes}}: one code ({@code 404}), a list to pick from
 * evenly ({@code 200,404}), or weighted ({@code 200:0.9,500:0.1}; a code without weight weighs
 * 1). Codes are limited to 200-599: a 1xx is not a final response and would leave a client
 * waiting. Immutable.
 */
record StatusChoice(List<Integer> codes, double[] cumulative) {
    private static final int MAX_CHOICES = 100;

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException with a message for the client when it is malformed
     */
    static StatusChoice parse(String spec) {
        String[] items = spec.split(",", -1);
        if (items.length > MAX_CHOICES) {
            throw new IllegalArgumentException("at most " + MAX_CHOICES + " status codes");
        }
        List<Integer> codes = new ArrayList<>(items.length);
        double[] cumulative = new double[items.length];
        double total = 0;
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int colon = item.indexOf(':');
            String code = colon < 0 ? item : item.substring(0, colon).strip();
            double weight = 1;
            if (colon >= 0) {
                weight = parseWeight(item.substring(colon + 1).strip());
            }
            codes.add(parseCode(code));
            total += weight;
            cumulative[i] = total;
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException("the weights must add up to a positive number");
        }
        return new StatusChoice(List.copyOf(codes), cumulative);
    }

    private static int parseCode(String s) {
        if (!s.matches("[0-9]{3}")) {
            throw new IllegalArgumentException("invalid status code: " + s);
        }
        int code = Integer.parseInt(s);
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status code must be in [200, 599]: " + s);
        }
        return code;
    }

    private static double parseWeight(String s) {
        if (!s.matches("[0-9]*\\.?[0-9]+")) {
            throw new IllegalArgumentException("invalid weight: " + s);
        }
        return Double.parseDouble(s);
    }

    /** One code, drawn with the weights. */
    int pick(RandomGenerator random) {
        if (codes.size() == 1) {
            return codes.get(0);
        }
        double total = cumulative[cumulative.length - 1];
        double x = random.nextDouble() * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return codes.get(i);
            }
        }
        return codes.get(codes.size() - 1);
    }
}
