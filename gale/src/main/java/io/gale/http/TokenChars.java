package io.gale.http;

/** RFC 9110 token characters ({@code tchar}). Stateless and thread-safe. */
final class TokenChars {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (int c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private TokenChars() {}

    static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    static boolean isToken(CharSequence s) {
        int n = s.length();
        if (n == 0) return false;
        for (int i = 0; i < n; i++) {
            if (!isTchar(s.charAt(i))) return false;
        }
        return true;
    }
}
