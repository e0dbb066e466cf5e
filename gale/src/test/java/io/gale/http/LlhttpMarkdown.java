package io.gale.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads llhttp's markdown test files: each heading holds an optional {@code <!-- meta={...} -->},
 * an {@code http} input block and a {@code log} block of expected events. Decodes the input as
 * llhttp's {@code test/md-test.ts} does (see vectors/README.md of the shared corpus).
 */
final class LlhttpMarkdown {
    private LlhttpMarkdown() {
    }

    /** One vector: outcome is ok, error or paused-upgrade. */
    record Vector(String name, int line, String type, boolean skipBody, byte[] input, int messagesComplete,
                  String outcome) {
    }

    private static final Pattern META_TYPE = Pattern.compile("\\\"type\\\":\\s*\\\"([^\\\"]+)\\\"");
    private static final Pattern ERROR = Pattern.compile("error code=(\\d+)");
    private static final Pattern FINISH = Pattern.compile("finish=(\\d+)");
    private static final Pattern REPEAT = Pattern.compile("\\$\\{'(.)'\\.repeat\\((\\d+)\\)}");

    static List<Vector> read(String resource) throws IOException {
        String text;
        try (InputStream in = LlhttpMarkdown.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n", -1);
        List<Vector> out = new ArrayList<>();
        String heading = null;
        int headingLine = 0;
        String meta = "";
        String input = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("#")) {
                heading = l.replaceFirst("^#+\\s*", "");
                headingLine = i + 1;
                meta = "";
                input = null;
            } else if (l.startsWith("<!-- meta=")) {
                meta = l;
            } else if (l.equals("```http")) {
                StringBuilder sb = new StringBuilder();
                for (i++; !lines[i].equals("```"); i++) {
                    sb.append(lines[i]).append('\n');
                }
                input = sb.toString();
            } else if (l.equals("```log") && input != null) {
                int complete = 0;
                String outcome = "ok";
                for (i++; !lines[i].equals("```"); i++) {
                    if (lines[i].endsWith("message complete")) {
                        complete++;
                    }
                    Matcher f = FINISH.matcher(lines[i]);
                    if (f.find() && Integer.parseInt(f.group(1)) > 1) {
                        outcome = "error"; // llhttp_finish() reports an EOF in the middle of a message
                    }
                    Matcher m = ERROR.matcher(lines[i]);
                    if (m.find()) {
                        int code = Integer.parseInt(m.group(1));
                        outcome = code == 22 || code == 23 ? "paused-upgrade" : "error";
                    }
                }
                Matcher t = META_TYPE.matcher(meta);
                String type = t.find() ? t.group(1) : "request";
                out.add(new Vector(heading, headingLine, type, meta.contains("\"skipBody\": true"), decode(input),
                    complete, outcome));
                input = null;
            }
        }
        return out;
    }

    /** The decoding steps of vectors/README.md. */
    static byte[] decode(String raw) {
        String s = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        s = s.replace("\\\n", "");
        s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'f' -> sb.append('\f');
                case 'x' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int j = i;
                        while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                            j++;
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, j), 8));
                        i = j - 1;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        Matcher m = REPEAT.matcher(sb);
        String expanded = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).repeat(Integer.parseInt(r.group(2)))));
        return expanded.getBytes(StandardCharsets.UTF_8);
    }
}
