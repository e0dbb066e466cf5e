package io.gale.escape;

import io.gale.internal.text.PyStrings;
import java.util.Locale;
import java.util.Set;

/**
 * The URL scanner behind {@link Escape#linkify}: a hand-written matcher of the URLs Tornado's
 * linkify recognises, run over text that is already HTML-escaped (so the only {@code &} are
 * entities; {@code &amp;} and {@code &quot;} may be part of a URL, others end it).
 *
 * <p>A URL starts at a word boundary (as Python's {@code \b} sees Unicode words) with either a
 * protocol ({@code [\w-]+}, a colon and one to three slashes) or {@code www.}. Its body is a
 * sequence of runs and parenthesised groups: a run is characters other than space, {@code &},
 * {@code (} and {@code )} (or the two entities above) and must end with a character that is
 * not ASCII punctuation ({@code -}, {@code /}, {@code _} and {@code \} may end it); a group is
 * {@code (}, a run of any such characters and {@code )}. The body takes as much as those rules
 * allow, so trailing punctuation ({@code "see http://x.com/a."}) stays outside the link. When a
 * protocol's slashes are followed by nothing usable, the last slash is the body
 * ({@code http://} alone is a link, as in Tornado).
 *
 * <p>Linear in the input except for the parenthesised groups, each scanned once more at most.
 * Stateless; thread-safe.
 */
final class Linkifier {
    private static final int MAX_LEN = 30;
    /** Never linked whatever the options say: they run code or smuggle content. */
    private static final Set<String> DANGEROUS = Set.of("javascript", "vbscript", "data");
    /** ASCII punctuation a URL does not end with (it is usually the sentence's). */
    private static final String NOT_AT_END = "!\"#$%&'()*+,.:;<=>?@[]^`{|}~";

    private Linkifier() {
    }

    /** A URL found at {@code start}: the protocol (null for {@code www.}) and its slash count. */
    private record Url(int start, int end, String protocol, int slashes) {
    }

    static String linkify(String text, LinkifyOptions options) {
        String t = Escape.xhtmlEscape(text);
        int n = t.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            Url url = match(t, i);
            if (url == null) {
                i += Character.charCount(t.codePointAt(i));
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 64);
            }
            out.append(t, copied, i);
            link(t, url, options, out);
            copied = i = url.end();
        }
        return out == null ? t : out.append(t, copied, n).toString();
    }

    private static Url match(String t, int i) {
        int c = t.codePointAt(i);
        boolean word = PyText.isWord(c);
        if (!word && c != '-') {
            return null; // neither alternative can start here
        }
        boolean before = i > 0 && PyText.isWord(t.codePointBefore(i));
        if (before == word) {
            return null; // no word boundary
        }
        int n = t.length();
        int j = i;
        while (j < n) {
            int cp = t.codePointAt(j);
            if (!PyText.isWord(cp) && cp != '-') {
                break;
            }
            j += Character.charCount(cp);
        }
        if (j < n && t.charAt(j) == ':') {
            int from = j + 1;
            int k = from;
            while (k < n && k - from < 3 && t.charAt(k) == '/') {
                k++;
            }
            int slashes = k - from;
            if (slashes > 0) {
                int end = body(t, k);
                if (end > k) {
                    return new Url(i, end, t.substring(i, j), slashes);
                }
                if (slashes > 1) {
                    return new Url(i, k, t.substring(i, j), slashes - 1);
                }
            }
        }
        if (t.startsWith("www.", i)) {
            int end = body(t, i + 4);
            if (end > i + 4) {
                return new Url(i, end, null, 0);
            }
        }
        return null;
    }

    /** The end of the longest URL body from {@code p}, or {@code p} if none starts there. */
    private static int body(String t, int p) {
        int n = t.length();
        int pos = p;
        for (;;) {
            // a run, which must end with a non-punctuation character
            int q = pos;
            int lastEnd = -1;
            while (q < n) {
                char ch = t.charAt(q);
                if (ch == '&') {
                    if (t.startsWith("&amp;", q)) {
                        q += 5;
                    } else if (t.startsWith("&quot;", q)) {
                        q += 6;
                    } else {
                        break;
                    }
                    continue;
                }
                int cp = t.codePointAt(q);
                if (ch == '(' || ch == ')' || PyStrings.isSpace(cp)) {
                    break;
                }
                q += Character.charCount(cp);
                if (canEnd(cp)) {
                    lastEnd = q;
                }
            }
            if (lastEnd > pos) {
                pos = lastEnd;
                if (lastEnd < q) {
                    return pos; // the run's tail is punctuation: nothing further can join
                }
                continue;
            }
            // a parenthesised group
            if (q == pos && pos < n && t.charAt(pos) == '(') {
                int r = run(t, pos + 1);
                if (r < n && t.charAt(r) == ')') {
                    pos = r + 1;
                    continue;
                }
            }
            return pos;
        }
    }

    /** The end of a run of URL characters (any, including punctuation) from {@code q}. */
    private static int run(String t, int q) {
        int n = t.length();
        while (q < n) {
            char ch = t.charAt(q);
            if (ch == '&') {
                if (t.startsWith("&amp;", q)) {
                    q += 5;
                } else if (t.startsWith("&quot;", q)) {
                    q += 6;
                } else {
                    return q;
                }
                continue;
            }
            int cp = t.codePointAt(q);
            if (ch == '(' || ch == ')' || PyStrings.isSpace(cp)) {
                return q;
            }
            q += Character.charCount(cp);
        }
        return q;
    }

    /** Whether a URL may end with {@code cp}: anything but space and {@link #NOT_AT_END}. */
    private static boolean canEnd(int cp) {
        if (PyStrings.isSpace(cp)) {
            return false;
        }
        return cp >= 128 || NOT_AT_END.indexOf(cp) < 0;
    }

    private static void link(String t, Url u, LinkifyOptions o, StringBuilder out) {
        String url = t.substring(u.start(), u.end());
        String protocol = u.protocol();
        if ((protocol == null && o.requireProtocol())
                || (protocol != null && (!o.permittedProtocols().contains(protocol)
                    || DANGEROUS.contains(protocol.toLowerCase(Locale.ROOT))))) {
            out.append(url);
            return;
        }
        String href = protocol == null ? "http://" + url : url;
        String params = o.extraParams() == null ? "" : " " + PyStrings.strip(String.valueOf(o.extraParams().apply(href)));
        String text = url;
        if (o.shorten() && url.codePointCount(0, url.length()) > MAX_LEN) {
            text = shorten(url, protocol == null ? 0 : protocol.codePointCount(0, protocol.length()) + 1 + u.slashes());
            if (!text.equals(url)) {
                params += " title=\"" + href + "\"";
            }
        }
        out.append("<a href=\"").append(href).append('"').append(params).append('>').append(text).append("</a>");
    }

    /**
     * The shortened link text: protocol, host and the first few characters of the first path
     * segment (up to a {@code ?} or {@code .}); anything still too long is cut at 30 characters
     * (before an entity's {@code &} near the cut); "..." marks a cut. Lengths are in code points.
     * Returns {@code url} itself when that would not be shorter.
     */
    private static String shorten(String url, int protocolLength) {
        CodePoints u = new CodePoints(url);
        String s = url;
        String rest = u.slice(protocolLength, u.length());
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String host = rest.substring(0, slash);
            String afterHost = rest.substring(slash + 1);
            int nextSlash = afterHost.indexOf('/');
            String segment = nextSlash < 0 ? afterHost : afterHost.substring(0, nextSlash);
            segment = new CodePoints(segment).slice(0, 8);
            segment = cutAt(cutAt(segment, '?'), '.');
            s = u.slice(0, protocolLength) + host + "/" + segment;
        }
        CodePoints cut = new CodePoints(s);
        if (cut.length() > MAX_LEN * 3 / 2) {
            s = cut.slice(0, MAX_LEN);
        }
        if (s.equals(url)) {
            return url;
        }
        CodePoints sc = new CodePoints(s);
        int amp = sc.lastIndexOf('&');
        if (amp > MAX_LEN - 5) {
            s = sc.slice(0, amp);
        }
        s += "...";
        return s.codePointCount(0, s.length()) >= u.length() ? url : s;
    }

    private static String cutAt(String s, char c) {
        int i = s.indexOf(c);
        return i < 0 ? s : s.substring(0, i);
    }

    /** A string indexed by code point, as Python indexes str. */
    private static final class CodePoints {
        private final String s;
        private final int length;

        CodePoints(String s) {
            this.s = s;
            this.length = s.codePointCount(0, s.length());
        }

        int length() {
            return length;
        }

        String slice(int from, int to) {
            from = Math.min(from, length);
            to = Math.min(to, length);
            if (from >= to) {
                return "";
            }
            int a = s.offsetByCodePoints(0, from);
            return s.substring(a, s.offsetByCodePoints(a, to - from));
        }

        int lastIndexOf(char c) {
            int i = s.lastIndexOf(c);
            return i < 0 ? -1 : s.codePointCount(0, i);
        }
    }
}
